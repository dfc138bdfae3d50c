/**
 * coordination/v1 (Lease), networking/v1 (Ingress, for `kubectl create
 * ingress`) and scheduling/v1 (PriorityClass, for `kubectl create
 * priorityclass`) messages.
 *
 * Field numbers are the wire facts of the v1.32 generated.proto files; json
 * tags and Go types are those of the same release's types.go (see schema.ts
 * for how they are read). Fields are listed in Go declaration order, which is
 * the order encoding/json writes them.
 */
import type { MessageTable } from './schema';

export const CLUSTER: MessageTable = {
  // coordination/v1
  Lease: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'LeaseSpec'],
  ],
  LeaseSpec: [
    [1, 'holderIdentity,omitempty', '*string'],
    [2, 'leaseDurationSeconds,omitempty', '*int32'],
    [3, 'acquireTime,omitempty', '*MicroTime'],
    [4, 'renewTime,omitempty', '*MicroTime'],
    [5, 'leaseTransitions,omitempty', '*int32'],
    [6, 'strategy,omitempty', '*string'],
    [7, 'preferredHolder,omitempty', '*string'],
  ],
  // networking/v1
  Ingress: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'spec,omitempty', 'IngressSpec'],
    [3, 'status,omitempty', 'IngressStatus'],
  ],
  IngressSpec: [
    [4, 'ingressClassName,omitempty', '*string'],
    [1, 'defaultBackend,omitempty', '*IngressBackend'],
    [2, 'tls,omitempty', '[]IngressTLS'],
    [3, 'rules,omitempty', '[]IngressRule'],
  ],
  IngressBackend: [
    [4, 'service,omitempty', '*IngressServiceBackend'],
    [3, 'resource,omitempty', '*TypedLocalObjectReference'],
  ],
  IngressServiceBackend: [
    [1, 'name', 'string'],
    [2, 'port,omitempty', 'ServiceBackendPort'],
  ],
  ServiceBackendPort: [
    [1, 'name,omitempty', 'string'],
    [2, 'number,omitempty', 'int32'], // the Go struct tag says bytes; generated.proto has optional int32
  ],
  IngressTLS: [
    [1, 'hosts,omitempty', '[]string'],
    [2, 'secretName,omitempty', 'string'],
  ],
  IngressRule: [
    [1, 'host,omitempty', 'string'],
    [2, ',inline', 'IngressRuleValue'],
  ],
  IngressRuleValue: [
    [1, 'http,omitempty', '*HTTPIngressRuleValue'],
  ],
  HTTPIngressRuleValue: [
    [1, 'paths', '[]HTTPIngressPath'],
  ],
  HTTPIngressPath: [
    [1, 'path,omitempty', 'string'],
    [3, 'pathType', '*string'],
    [2, 'backend', 'IngressBackend'],
  ],
  IngressStatus: [
    [1, 'loadBalancer,omitempty', 'IngressLoadBalancerStatus'],
  ],
  IngressLoadBalancerStatus: [
    [1, 'ingress,omitempty', '[]IngressLoadBalancerIngress'],
  ],
  IngressLoadBalancerIngress: [
    [1, 'ip,omitempty', 'string'],
    [2, 'hostname,omitempty', 'string'],
    [4, 'ports,omitempty', '[]IngressPortStatus'],
  ],
  IngressPortStatus: [
    [1, 'port', 'int32'],
    [2, 'protocol', 'string'],
    [3, 'error,omitempty', '*string'],
  ],
  // scheduling/v1
  PriorityClass: [
    [1, 'metadata,omitempty', 'ObjectMeta'],
    [2, 'value', 'int32'], // the Go struct tag says bytes; generated.proto has optional int32
    [3, 'globalDefault,omitempty', 'bool'], // the Go struct tag says bytes; generated.proto has optional bool
    [4, 'description,omitempty', 'string'],
    [5, 'preemptionPolicy,omitempty', '*string'],
  ],
};
