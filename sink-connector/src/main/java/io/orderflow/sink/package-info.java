/**
 * orderflow ParquetS3SinkConnector and WindowAggregateSinkConnector, with the warehouse layer.
 *
 * <p>Placeholder module: the code arrives with its own issue (see ARCHITECTURE.md for the design).
 */
package io.orderflow.sink;
