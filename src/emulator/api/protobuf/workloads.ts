/**
 * apps/v1, batch/v1, autoscaling/v1 (Scale) and policy/v1 messages.
 *
 * Field numbers are the wire facts of the v1.32 generated.proto files; json
 * tags and Go types are those of the same release's types.go (see schema.ts
 * for how they are read). Fields are listed in Go declaration order, which is
 * the order encoding/json writes them.
 */
import type { MessageTable } from './schema';

export const WORKLOADS: MessageTable = {
  // apps/v1
  Deployment: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'DeploymentSpec'],
    [3, 'status,omitempty', 'DeploymentStatus'],
  ],
  DeploymentSpec: [
    [1, 'replicas,omitempty', '*int32'],
    [2, 'selector', '*LabelSelector'],
    [3, 'template', 'PodTemplateSpec'],
    [4, 'strategy,omitempty', 'DeploymentStrategy'],
    [5, 'minReadySeconds,omitempty', 'int32'],
    [6, 'revisionHistoryLimit,omitempty', '*int32'],
    [7, 'paused,omitempty', 'bool'],
    [9, 'progressDeadlineSeconds,omitempty', '*int32'],
  ],
  DeploymentStrategy: [
    [1, 'type,omitempty', 'string'],
    [2, 'rollingUpdate,omitempty', '*RollingUpdateDeployment'],
  ],
  RollingUpdateDeployment: [
    [1, 'maxUnavailable,omitempty', '*IntOrString'],
    [2, 'maxSurge,omitempty', '*IntOrString'],
  ],
  DeploymentStatus: [
    [1, 'observedGeneration,omitempty', 'int64'],
    [2, 'replicas,omitempty', 'int32'],
    [3, 'updatedReplicas,omitempty', 'int32'],
    [7, 'readyReplicas,omitempty', 'int32'],
    [4, 'availableReplicas,omitempty', 'int32'],
    [5, 'unavailableReplicas,omitempty', 'int32'],
    [6, 'conditions,omitempty', '[]DeploymentCondition'],
    [8, 'collisionCount,omitempty', '*int32'],
  ],
  DeploymentCondition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [6, 'lastUpdateTime,omitempty', 'Time'],
    [7, 'lastTransitionTime,omitempty', 'Time'],
    [4, 'reason,omitempty', 'string'],
    [5, 'message,omitempty', 'string'],
  ],
  ReplicaSet: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'ReplicaSetSpec'],
    [3, 'status,omitempty', 'ReplicaSetStatus'],
  ],
  ReplicaSetSpec: [
    [1, 'replicas,omitempty', '*int32'],
    [4, 'minReadySeconds,omitempty', 'int32'],
    [2, 'selector', '*LabelSelector'],
    [3, 'template,omitempty', 'PodTemplateSpec'],
  ],
  ReplicaSetStatus: [
    [1, 'replicas', 'int32'],
    [2, 'fullyLabeledReplicas,omitempty', 'int32'],
    [4, 'readyReplicas,omitempty', 'int32'],
    [5, 'availableReplicas,omitempty', 'int32'],
    [3, 'observedGeneration,omitempty', 'int64'],
    [6, 'conditions,omitempty', '[]ReplicaSetCondition'],
  ],
  ReplicaSetCondition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [3, 'lastTransitionTime,omitempty', 'Time'],
    [4, 'reason,omitempty', 'string'],
    [5, 'message,omitempty', 'string'],
  ],
  StatefulSet: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'StatefulSetSpec'],
    [3, 'status,omitempty', 'StatefulSetStatus'],
  ],
  StatefulSetSpec: [
    [1, 'replicas,omitempty', '*int32'],
    [2, 'selector', '*LabelSelector'],
    [3, 'template', 'PodTemplateSpec'],
    [4, 'volumeClaimTemplates,omitempty', '[]PersistentVolumeClaim'],
    [5, 'serviceName', 'string'],
    [6, 'podManagementPolicy,omitempty', 'string'],
    [7, 'updateStrategy,omitempty', 'StatefulSetUpdateStrategy'],
    [8, 'revisionHistoryLimit,omitempty', '*int32'],
    [9, 'minReadySeconds,omitempty', 'int32'],
    [10, 'persistentVolumeClaimRetentionPolicy,omitempty', '*StatefulSetPersistentVolumeClaimRetentionPolicy'],
    [11, 'ordinals,omitempty', '*StatefulSetOrdinals'],
  ],
  StatefulSetUpdateStrategy: [
    [1, 'type,omitempty', 'string'],
    [2, 'rollingUpdate,omitempty', '*RollingUpdateStatefulSetStrategy'],
  ],
  RollingUpdateStatefulSetStrategy: [
    [1, 'partition,omitempty', '*int32'],
    [2, 'maxUnavailable,omitempty', '*IntOrString'],
  ],
  StatefulSetPersistentVolumeClaimRetentionPolicy: [
    [1, 'whenDeleted,omitempty', 'string'],
    [2, 'whenScaled,omitempty', 'string'],
  ],
  StatefulSetOrdinals: [
    [1, 'start', 'int32'],
  ],
  StatefulSetStatus: [
    [1, 'observedGeneration,omitempty', 'int64'],
    [2, 'replicas', 'int32'],
    [3, 'readyReplicas,omitempty', 'int32'],
    [4, 'currentReplicas,omitempty', 'int32'],
    [5, 'updatedReplicas,omitempty', 'int32'],
    [6, 'currentRevision,omitempty', 'string'],
    [7, 'updateRevision,omitempty', 'string'],
    [9, 'collisionCount,omitempty', '*int32'],
    [10, 'conditions,omitempty', '[]StatefulSetCondition'],
    [11, 'availableReplicas', 'int32'],
  ],
  StatefulSetCondition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [3, 'lastTransitionTime,omitempty', 'Time'],
    [4, 'reason,omitempty', 'string'],
    [5, 'message,omitempty', 'string'],
  ],
  DaemonSet: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'DaemonSetSpec'],
    [3, 'status,omitempty', 'DaemonSetStatus'],
  ],
  DaemonSetSpec: [
    [1, 'selector', '*LabelSelector'],
    [2, 'template', 'PodTemplateSpec'],
    [3, 'updateStrategy,omitempty', 'DaemonSetUpdateStrategy'],
    [4, 'minReadySeconds,omitempty', 'int32'],
    [6, 'revisionHistoryLimit,omitempty', '*int32'],
  ],
  DaemonSetUpdateStrategy: [
    [1, 'type,omitempty', 'string'],
    [2, 'rollingUpdate,omitempty', '*RollingUpdateDaemonSet'],
  ],
  RollingUpdateDaemonSet: [
    [1, 'maxUnavailable,omitempty', '*IntOrString'],
    [2, 'maxSurge,omitempty', '*IntOrString'],
  ],
  DaemonSetStatus: [
    [1, 'currentNumberScheduled', 'int32'],
    [2, 'numberMisscheduled', 'int32'],
    [3, 'desiredNumberScheduled', 'int32'],
    [4, 'numberReady', 'int32'],
    [5, 'observedGeneration,omitempty', 'int64'],
    [6, 'updatedNumberScheduled,omitempty', 'int32'],
    [7, 'numberAvailable,omitempty', 'int32'],
    [8, 'numberUnavailable,omitempty', 'int32'],
    [9, 'collisionCount,omitempty', '*int32'],
    [10, 'conditions,omitempty', '[]DaemonSetCondition'],
  ],
  DaemonSetCondition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [3, 'lastTransitionTime,omitempty', 'Time'],
    [4, 'reason,omitempty', 'string'],
    [5, 'message,omitempty', 'string'],
  ],
  ControllerRevision: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'data,omitempty', 'RawExtension'],
    [3, 'revision', 'int64'],
  ],
  // batch/v1
  Job: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'JobSpec'],
    [3, 'status,omitempty', 'JobStatus'],
  ],
  JobSpec: [
    [1, 'parallelism,omitempty', '*int32'],
    [2, 'completions,omitempty', '*int32'],
    [3, 'activeDeadlineSeconds,omitempty', '*int64'],
    [11, 'podFailurePolicy,omitempty', '*PodFailurePolicy'],
    [16, 'successPolicy,omitempty', '*SuccessPolicy'],
    [7, 'backoffLimit,omitempty', '*int32'],
    [12, 'backoffLimitPerIndex,omitempty', '*int32'],
    [13, 'maxFailedIndexes,omitempty', '*int32'],
    [4, 'selector,omitempty', '*LabelSelector'],
    [5, 'manualSelector,omitempty', '*bool'],
    [6, 'template', 'PodTemplateSpec'],
    [8, 'ttlSecondsAfterFinished,omitempty', '*int32'],
    [9, 'completionMode,omitempty', '*string'],
    [10, 'suspend,omitempty', '*bool'],
    [14, 'podReplacementPolicy,omitempty', '*string'],
    [15, 'managedBy,omitempty', '*string'],
  ],
  PodFailurePolicy: [
    [1, 'rules', '[]PodFailurePolicyRule'],
  ],
  PodFailurePolicyRule: [
    [1, 'action', 'string'],
    [2, 'onExitCodes,omitempty', '*PodFailurePolicyOnExitCodesRequirement'],
    [3, 'onPodConditions,omitempty', '[]PodFailurePolicyOnPodConditionsPattern'],
  ],
  PodFailurePolicyOnExitCodesRequirement: [
    [1, 'containerName,omitempty', '*string'],
    [2, 'operator', 'string'],
    [3, 'values', '[]int32'],
  ],
  PodFailurePolicyOnPodConditionsPattern: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
  ],
  SuccessPolicy: [
    [1, 'rules', '[]SuccessPolicyRule'],
  ],
  SuccessPolicyRule: [
    [1, 'succeededIndexes,omitempty', '*string'],
    [2, 'succeededCount,omitempty', '*int32'],
  ],
  JobStatus: [
    [1, 'conditions,omitempty', '[]JobCondition'],
    [2, 'startTime,omitempty', '*Time'],
    [3, 'completionTime,omitempty', '*Time'],
    [4, 'active,omitempty', 'int32'],
    [5, 'succeeded,omitempty', 'int32'],
    [6, 'failed,omitempty', 'int32'],
    [11, 'terminating,omitempty', '*int32'],
    [7, 'completedIndexes,omitempty', 'string'],
    [10, 'failedIndexes,omitempty', '*string'],
    [8, 'uncountedTerminatedPods,omitempty', '*UncountedTerminatedPods'],
    [9, 'ready,omitempty', '*int32'],
  ],
  JobCondition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [3, 'lastProbeTime,omitempty', 'Time'],
    [4, 'lastTransitionTime,omitempty', 'Time'],
    [5, 'reason,omitempty', 'string'],
    [6, 'message,omitempty', 'string'],
  ],
  UncountedTerminatedPods: [
    [1, 'succeeded,omitempty', '[]string'],
    [2, 'failed,omitempty', '[]string'],
  ],
  CronJob: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'CronJobSpec'],
    [3, 'status,omitempty', 'CronJobStatus'],
  ],
  CronJobSpec: [
    [1, 'schedule', 'string'],
    [8, 'timeZone,omitempty', '*string'],
    [2, 'startingDeadlineSeconds,omitempty', '*int64'],
    [3, 'concurrencyPolicy,omitempty', 'string'],
    [4, 'suspend,omitempty', '*bool'],
    [5, 'jobTemplate', 'JobTemplateSpec'],
    [6, 'successfulJobsHistoryLimit,omitempty', '*int32'],
    [7, 'failedJobsHistoryLimit,omitempty', '*int32'],
  ],
  JobTemplateSpec: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'JobSpec'],
  ],
  CronJobStatus: [
    [1, 'active,omitempty', '[]ObjectReference'],
    [4, 'lastScheduleTime,omitempty', '*Time'],
    [5, 'lastSuccessfulTime,omitempty', '*Time'],
  ],
  // autoscaling/v1
  Scale: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'ScaleSpec'],
    [3, 'status,omitempty', 'ScaleStatus'],
  ],
  ScaleSpec: [
    [1, 'replicas,omitempty', 'int32'],
  ],
  ScaleStatus: [
    [1, 'replicas', 'int32'],
    [2, 'selector,omitempty', 'string'],
  ],
  // policy/v1
  PodDisruptionBudget: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'PodDisruptionBudgetSpec'],
    [3, 'status,omitempty', 'PodDisruptionBudgetStatus'],
  ],
  PodDisruptionBudgetSpec: [
    [1, 'minAvailable,omitempty', '*IntOrString'],
    [2, 'selector,omitempty', '*LabelSelector'],
    [3, 'maxUnavailable,omitempty', '*IntOrString'],
    [4, 'unhealthyPodEvictionPolicy,omitempty', '*string'],
  ],
  PodDisruptionBudgetStatus: [
    [1, 'observedGeneration,omitempty', 'int64'],
    [2, 'disruptedPods,omitempty', 'map[string]Time'],
    [3, 'disruptionsAllowed', 'int32'],
    [4, 'currentHealthy', 'int32'],
    [5, 'desiredHealthy', 'int32'],
    [6, 'expectedPods', 'int32'],
    [7, 'conditions,omitempty', '[]Condition'],
  ],
  Eviction: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'deleteOptions,omitempty', '*DeleteOptions'],
  ],
};
