package dev.tern.app;

public final class Main {
    public static void main(String[] args) {
        System.out.println("tern");
    }
}
