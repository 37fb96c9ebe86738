/** Entry point and wiring of concrete objects: start, stop, signals. Nothing depends on it. */
package dev.tern.app;
