/**
 * Micrometer helpers shared by the stores and executors (foundation layer: depends on nothing of Quiver's).
 */
package io.quiver.metrics;
