/**
 * authorization/v1, authentication/v1 and rbac/v1 messages: the reviews
 * `kubectl auth` sends, `kubectl create token`, and the RBAC objects
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding` send.
 *
 * Field numbers are the wire facts of the v1.32 generated.proto files; json
 * tags and Go types are those of the same release's types.go (see schema.ts
 * for how they are read). Fields are listed in Go declaration order, which is
 * the order encoding/json writes them.
 */
import type { MessageTable } from './schema';

export const ACCESS: MessageTable = {
  // authorization/v1
  SelfSubjectAccessReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'SelfSubjectAccessReviewSpec'],
    [3, 'status,omitempty', 'SubjectAccessReviewStatus'],
  ],
  SelfSubjectAccessReviewSpec: [
    [1, 'resourceAttributes,omitempty', '*ResourceAttributes'],
    [2, 'nonResourceAttributes,omitempty', '*NonResourceAttributes'],
  ],
  ResourceAttributes: [
    [1, 'namespace,omitempty', 'string'],
    [2, 'verb,omitempty', 'string'],
    [3, 'group,omitempty', 'string'],
    [4, 'version,omitempty', 'string'],
    [5, 'resource,omitempty', 'string'],
    [6, 'subresource,omitempty', 'string'],
    [7, 'name,omitempty', 'string'],
    [8, 'fieldSelector,omitempty', '*FieldSelectorAttributes'],
    [9, 'labelSelector,omitempty', '*LabelSelectorAttributes'],
  ],
  FieldSelectorAttributes: [
    [1, 'rawSelector,omitempty', 'string'],
    [2, 'requirements,omitempty', '[]FieldSelectorRequirement'],
  ],
  LabelSelectorAttributes: [
    [1, 'rawSelector,omitempty', 'string'],
    [2, 'requirements,omitempty', '[]LabelSelectorRequirement'],
  ],
  NonResourceAttributes: [
    [1, 'path,omitempty', 'string'],
    [2, 'verb,omitempty', 'string'],
  ],
  SubjectAccessReviewStatus: [
    [1, 'allowed', 'bool'],
    [4, 'denied,omitempty', 'bool'],
    [2, 'reason,omitempty', 'string'],
    [3, 'evaluationError,omitempty', 'string'],
  ],
  SelfSubjectRulesReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'SelfSubjectRulesReviewSpec'],
    [3, 'status,omitempty', 'SubjectRulesReviewStatus'],
  ],
  SelfSubjectRulesReviewSpec: [
    [1, 'namespace,omitempty', 'string'],
  ],
  SubjectRulesReviewStatus: [
    [1, 'resourceRules', '[]ResourceRule'],
    [2, 'nonResourceRules', '[]NonResourceRule'],
    [3, 'incomplete', 'bool'], // the Go struct tag says bytes; generated.proto has optional bool
    [4, 'evaluationError,omitempty', 'string'],
  ],
  ResourceRule: [
    [1, 'verbs', '[]string'],
    [2, 'apiGroups,omitempty', '[]string'],
    [3, 'resources,omitempty', '[]string'],
    [4, 'resourceNames,omitempty', '[]string'],
  ],
  NonResourceRule: [
    [1, 'verbs', '[]string'],
    [2, 'nonResourceURLs,omitempty', '[]string'],
  ],
  SubjectAccessReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'SubjectAccessReviewSpec'],
    [3, 'status,omitempty', 'SubjectAccessReviewStatus'],
  ],
  SubjectAccessReviewSpec: [
    [1, 'resourceAttributes,omitempty', '*ResourceAttributes'],
    [2, 'nonResourceAttributes,omitempty', '*NonResourceAttributes'],
    [3, 'user,omitempty', 'string'],
    [4, 'groups,omitempty', '[]string'],
    [5, 'extra,omitempty', 'map[string][]string'],
    [6, 'uid,omitempty', 'string'],
  ],
  LocalSubjectAccessReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'SubjectAccessReviewSpec'],
    [3, 'status,omitempty', 'SubjectAccessReviewStatus'],
  ],
  // authentication/v1
  SelfSubjectReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'status,omitempty', 'SelfSubjectReviewStatus'],
  ],
  SelfSubjectReviewStatus: [
    [1, 'userInfo,omitempty', 'UserInfo'],
  ],
  UserInfo: [
    [1, 'username,omitempty', 'string'],
    [2, 'uid,omitempty', 'string'],
    [3, 'groups,omitempty', '[]string'],
    [4, 'extra,omitempty', 'map[string][]string'],
  ],
  TokenRequest: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'TokenRequestSpec'],
    [3, 'status,omitempty', 'TokenRequestStatus'],
  ],
  TokenRequestSpec: [
    [1, 'audiences', '[]string'],
    [4, 'expirationSeconds', '*int64'],
    [3, 'boundObjectRef', '*BoundObjectReference'],
  ],
  BoundObjectReference: [
    [1, 'kind,omitempty', 'string'],
    [2, 'apiVersion,omitempty', 'string'],
    [3, 'name,omitempty', 'string'],
    [4, 'uid,omitempty', 'string'],
  ],
  TokenRequestStatus: [
    [1, 'token', 'string'],
    [2, 'expirationTimestamp', 'Time'],
  ],
  TokenReview: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec', 'TokenReviewSpec'],
    [3, 'status,omitempty', 'TokenReviewStatus'],
  ],
  TokenReviewSpec: [
    [1, 'token,omitempty', 'string'],
    [2, 'audiences,omitempty', '[]string'],
  ],
  TokenReviewStatus: [
    [1, 'authenticated,omitempty', 'bool'],
    [2, 'user,omitempty', 'UserInfo'],
    [4, 'audiences,omitempty', '[]string'],
    [3, 'error,omitempty', 'string'],
  ],
  // rbac/v1
  Role: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'rules', '[]PolicyRule'],
  ],
  PolicyRule: [
    [1, 'verbs', '[]string'],
    [2, 'apiGroups,omitempty', '[]string'],
    [3, 'resources,omitempty', '[]string'],
    [4, 'resourceNames,omitempty', '[]string'],
    [5, 'nonResourceURLs,omitempty', '[]string'],
  ],
  ClusterRole: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'rules', '[]PolicyRule'],
    [3, 'aggregationRule,omitempty', '*AggregationRule'],
  ],
  AggregationRule: [
    [1, 'clusterRoleSelectors,omitempty', '[]LabelSelector'],
  ],
  RoleBinding: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'subjects,omitempty', '[]Subject'],
    [3, 'roleRef', 'RoleRef'],
  ],
  Subject: [
    [1, 'kind', 'string'],
    [2, 'apiGroup,omitempty', 'string'],
    [3, 'name', 'string'],
    [4, 'namespace,omitempty', 'string'],
  ],
  RoleRef: [
    [1, 'apiGroup', 'string'],
    [2, 'kind', 'string'],
    [3, 'name', 'string'],
  ],
  ClusterRoleBinding: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'subjects,omitempty', '[]Subject'],
    [3, 'roleRef', 'RoleRef'],
  ],
};
