/**
 * Online store (issue: online serving): latest values per entity in Redis or in process, TTL-checked on read.
 * Empty until then.
 */
package io.quiver.online;
