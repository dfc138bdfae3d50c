/**
 * meta/v1 messages (k8s.io/apimachinery/pkg/apis/meta/v1) that objects embed.
 *
 * Field numbers are the wire facts of the v1.32 generated.proto files; json
 * tags and Go types are those of the same release's types.go (see schema.ts
 * for how they are read). Fields are listed in Go declaration order, which is
 * the order encoding/json writes them.
 *
 * ObjectMeta leaves out managedFields (17): kubectl never sends it and the
 * training fleet keeps no field ownership, so it is skipped like any unknown field.
 */
import type { MessageTable } from './schema';

export const META_V1: MessageTable = {
  // meta/v1
  ObjectMeta: [
    [1, 'name,omitempty', 'string'],
    [2, 'generateName,omitempty', 'string'],
    [3, 'namespace,omitempty', 'string'],
    [4, 'selfLink,omitempty', 'string'],
    [5, 'uid,omitempty', 'string'],
    [6, 'resourceVersion,omitempty', 'string'],
    [7, 'generation,omitempty', 'int64'],
    [8, 'creationTimestamp,omitempty', 'Time'],
    [9, 'deletionTimestamp,omitempty', '*Time'],
    [10, 'deletionGracePeriodSeconds,omitempty', '*int64'],
    [11, 'labels,omitempty', 'map[string]string'],
    [12, 'annotations,omitempty', 'map[string]string'],
    [13, 'ownerReferences,omitempty', '[]OwnerReference'],
    [14, 'finalizers,omitempty', '[]string'],
  ],
  OwnerReference: [
    [5, 'apiVersion', 'string'],
    [1, 'kind', 'string'],
    [3, 'name', 'string'],
    [4, 'uid', 'string'],
    [6, 'controller,omitempty', '*bool'],
    [7, 'blockOwnerDeletion,omitempty', '*bool'],
  ],
  Condition: [
    [1, 'type', 'string'],
    [2, 'status', 'string'],
    [3, 'observedGeneration,omitempty', 'int64'],
    [4, 'lastTransitionTime', 'Time'],
    [5, 'reason', 'string'],
    [6, 'message', 'string'],
  ],
  LabelSelector: [
    [1, 'matchLabels,omitempty', 'map[string]string'],
    [2, 'matchExpressions,omitempty', '[]LabelSelectorRequirement'],
  ],
  LabelSelectorRequirement: [
    [1, 'key', 'string'],
    [2, 'operator', 'string'],
    [3, 'values,omitempty', '[]string'],
  ],
  DeleteOptions: [
    [1, 'gracePeriodSeconds,omitempty', '*int64'],
    [2, 'preconditions,omitempty', '*Preconditions'],
    [3, 'orphanDependents,omitempty', '*bool'],
    [4, 'propagationPolicy,omitempty', '*string'], // the Go struct tag says varint; generated.proto has optional string
    [5, 'dryRun,omitempty', '[]string'],
    [6, 'ignoreStoreReadErrorWithClusterBreakingPotential,omitempty', '*bool'],
  ],
  Preconditions: [
    [1, 'uid,omitempty', '*string'],
    [2, 'resourceVersion,omitempty', '*string'],
  ],
  FieldSelectorRequirement: [
    [1, 'key', 'string'],
    [2, 'operator', 'string'],
    [3, 'values,omitempty', '[]string'],
  ],
};
