/**
 * The alarm pipeline: accepted events become timed cases walked through GA 1383-2017's handling
 * (报警接收与处置: 报警响应, 报警复核, 警情转发, 现场处置) with every step timestamped, attributed and written to the
 * store.
 *
 * <p>Entry points: {@link org.arc4j.core.pipeline.AlarmPipeline} (build it with its builder, call
 * {@code recover()} after a restart, register {@code onAccepted} on the intake, drive cases with
 * {@code present}, {@code take}, {@code startVerification}, {@code verify}, {@code forward},
 * {@code forwardDelivered}, {@code confirmForward}, {@code dispatch}, {@code guardReport}, {@code notified},
 * {@code markFalseAlarm}, {@code close}, {@code archive}); the console queue
 * {@link org.arc4j.core.pipeline.OperatorQueue}; rules as data ({@link org.arc4j.core.pipeline.Rules});
 * permission checks through {@link org.arc4j.core.pipeline.CaseAuthorizer}; durable subscriptions with
 * checkpoints ({@link org.arc4j.core.pipeline.StoreSubscriptions}) and in-process listeners
 * ({@link org.arc4j.core.pipeline.PipelineEvent}).
 */
package org.arc4j.core.pipeline;
