/**
 * Train DL4J on Apache Spark from a Sluice manifest: {@link io.sluice.spark.SparkLoader} sends each executor task a
 * small descriptor (manifest digest, epoch, shard, batch range) and the task streams that part of its shard from the
 * store through Sluice's engine. For JDK 17-21.
 */
package io.sluice.spark;
