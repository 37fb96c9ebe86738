package dev.tern.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link DelayScheduler} whose time moves only when a test says so; due tasks run on the caller's thread. */
final class ManualScheduler implements DelayScheduler {

    private final List<Task> tasks = new ArrayList<>();
    private Instant now;

    ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
        Task t = new Task(at, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(t);
            }
        };
    }

    /** Moves time forward and runs every task now due, earliest first. */
    void advance(Duration by) {
        List<Task> due;
        synchronized (this) {
            now = now.plus(by);
            due = tasks.stream().filter(t -> !t.at.isAfter(now)).sorted(Comparator.comparing(t -> t.at)).toList();
            tasks.removeAll(due);
        }
        due.forEach(t -> t.task.run());
    }

    synchronized int pending() {
        return tasks.size();
    }

    @Override
    public synchronized void close() {
        tasks.clear();
    }

    private record Task(Instant at, Runnable task) {
    }
}
