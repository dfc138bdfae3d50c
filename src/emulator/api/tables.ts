/**
 * Server-side Table conversion (`meta.k8s.io/v1` Table), as kube-apiserver 1.32
 * performs it when a client sends `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
 *
 * kubectl renders `get` output almost entirely from what the server puts in the
 * Table: the column headers, which columns are `-o wide` only (priority 1), and
 * the already-formatted cells. So every column, cell format and edge case here
 * mirrors the Kubernetes printers (pkg/printers/internalversion), the default
 * table convertor (apiserver registry/rest), the CRD convertor
 * (apiextensions tableconvertor) and the APIService convertor (kube-aggregator).
 *
 * The apiserver always generates the wide variant (kubectl drops priority>0
 * columns itself), so every printer here emits all cells.
 *
 * Performance matters: `kubectl get pods -A` on a large site converts ~150k
 * objects in one request. Printers therefore read fields directly, reuse shared
 * constant arrays and avoid building intermediate objects per row.
 */
import { podPrintStatus } from '../../shared/derive';
import type { KObject } from '../types';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** `includeObject` query parameter of a Table request ('' on the wire means Metadata). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** One column header, serialized exactly like metav1.TableColumnDefinition (no omitempty). */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRowCondition; the pod printer marks finished pods with one. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * One table row. `object` is `null` for includeObject=None (the apiserver
 * serializes an empty RawExtension as `null`), a PartialObjectMetadata for
 * Metadata and the stored object itself for Object. `conditions` is left
 * `undefined` (so JSON omits it) unless the printer sets it.
 */
export interface TableRow {
  cells: unknown[];
  conditions: TableRowCondition[] | undefined;
  object: unknown;
}

/** List metadata carried by a Table (`metadata` of the response). */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A `meta.k8s.io/v1` Table. `columnDefinitions` is `null` when headers are
 * omitted (watch events after the first), and `rows` is `null` only where the
 * apiserver itself produces a nil slice (default convertor with no items).
 */
export interface TableObject {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[] | null;
}

/** A CRD `additionalPrinterColumns` entry (apiextensions.k8s.io/v1 CustomResourceColumnDefinition). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** Options shared by {@link toTable}, {@link tableRow} and {@link objectTable}. */
export interface RowOptions {
  includeObject: IncludeObject;
  /**
   * meta.k8s.io version the client negotiated (`v=` of the Accept header);
   * it sets the apiVersion of the Table and of PartialObjectMetadata rows.
   * Defaults to v1 (what kubectl 1.32 prefers).
   */
  version?: 'v1' | 'v1beta1';
  /** "Now" in epoch milliseconds; every AGE / LAST SEEN cell is relative to it. */
  now: number;
  /**
   * Set for custom resources: the CRD version's additionalPrinterColumns
   * (an empty array means "none declared", which yields NAME + AGE, as the
   * apiextensions server does). Leave undefined for built-in resources.
   */
  printerColumns?: readonly PrinterColumn[];
}

/** Options of {@link toTable}. */
export interface TableOptions extends RowOptions {
  /** Metadata of the list the objects came from (resourceVersion, continue token, remainingItemCount). */
  listMeta?: TableListMeta;
  /** The TableOptions.noHeaders behaviour: columnDefinitions becomes null. */
  omitHeaders?: boolean;
}

// ---------------------------------------------------------------------------
// Column descriptions (OpenAPI doc strings the apiserver copies into headers)
// ---------------------------------------------------------------------------

/** Doc strings from the Kubernetes OpenAPI (types_swagger_doc_generated.go), v1.32. */
const D = {
  meta_ObjectMeta_name: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
  meta_ObjectMeta_creationTimestamp: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  core_PodStatus_podIP: "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
  core_PodSpec_nodeName: "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
  core_PodStatus_nominatedNodeName: "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
  core_PodSpec_readinessGates: "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
  core_ReplicationControllerSpec_replicas: "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
  core_ReplicationControllerStatus_replicas: "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
  core_ReplicationControllerStatus_readyReplicas: "The number of ready replicas for this replication controller.",
  core_ReplicationControllerSpec_selector: "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  ext_ReplicaSetSpec_replicas: "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
  ext_ReplicaSetStatus_replicas: "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
  ext_ReplicaSetStatus_readyReplicas: "The number of ready replicas for this replica set.",
  ext_ReplicaSetSpec_selector: "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  ext_DaemonSetStatus_desiredNumberScheduled: "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
  ext_DaemonSetStatus_currentNumberScheduled: "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
  ext_DaemonSetStatus_numberReady: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
  ext_DaemonSetStatus_updatedNumberScheduled: "The total number of nodes that are running updated daemon pod",
  ext_DaemonSetStatus_numberAvailable: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
  core_PodSpec_nodeSelector: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
  ext_DaemonSetSpec_selector: "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  batchv1_JobStatus_succeeded: "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
  batchv1_JobSpec_selector: "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  batchv1beta1_CronJobSpec_schedule: "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
  batchv1beta1_CronJobSpec_timeZone: "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
  batchv1beta1_CronJobSpec_suspend: "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
  batchv1beta1_CronJobStatus_active: "A list of pointers to currently running jobs.",
  batchv1beta1_CronJobStatus_lastScheduleTime: "Information when was the last time the job was successfully scheduled.",
  core_ServiceSpec_type: "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
  core_ServiceSpec_clusterIP: "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
  core_ServiceSpec_externalIPs: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.",
  core_ServiceSpec_ports: "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
  core_ServiceSpec_selector: "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/",
  core_Endpoints_subsets: "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.",
  core_NodeSystemInfo_kubeletVersion: "Kubelet Version reported by the node.",
  core_NodeStatus_addresses: "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  core_NodeSystemInfo_osImage: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
  core_NodeSystemInfo_kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  core_NodeSystemInfo_containerRuntimeVersion: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
  core_Event_lastTimestamp: "The time at which the most recent occurrence of this event was recorded.",
  core_Event_type: "Type of this event (Normal, Warning), new types could be added in the future",
  core_Event_reason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  core_Event_involvedObject: "The object that this event is about.",
  core_ObjectReference_fieldPath: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.",
  core_Event_source: "The component reporting this event. Should be a short machine understandable string.",
  core_Event_message: "A human-readable description of the status of this operation.",
  core_Event_firstTimestamp: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
  core_Event_count: "The number of times this event has occurred.",
  core_Secret_type: "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
  core_Secret_data: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
  core_ServiceAccount_secrets: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret",
  core_PersistentVolumeSpec_capacity: "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
  core_PersistentVolumeSpec_accessModes: "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
  core_PersistentVolumeSpec_persistentVolumeReclaimPolicy: "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming",
  core_PersistentVolumeStatus_phase: "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase",
  core_PersistentVolumeSpec_claimRef: "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding",
  core_PersistentVolumeStatus_reason: "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
  core_PersistentVolumeSpec_volumeMode: "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.",
  core_PersistentVolumeClaimStatus_phase: "phase represents the current phase of PersistentVolumeClaim.",
  core_PersistentVolumeClaimSpec_volumeName: "volumeName is the binding reference to the PersistentVolume backing this claim.",
  core_PersistentVolumeClaimStatus_capacity: "capacity represents the actual resources of the underlying volume.",
  core_PersistentVolumeClaimStatus_accessModes: "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
  core_PersistentVolumeClaimSpec_volumeMode: "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.",
  ext_DeploymentStatus_updatedReplicas: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
  ext_DeploymentStatus_availableReplicas: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
  ext_DeploymentSpec_selector: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
  asv2beta1_HorizontalPodAutoscalerSpec_scaleTargetRef: "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
  asv2beta1_HorizontalPodAutoscalerSpec_metrics: "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.",
  asv2beta1_HorizontalPodAutoscalerSpec_minReplicas: "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.",
  asv2beta1_HorizontalPodAutoscalerSpec_maxReplicas: "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
  asv2beta1_HorizontalPodAutoscalerStatus_currentReplicas: "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
  core_ConfigMap_data: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  ext_NetworkPolicySpec_podSelector: "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.",
  rbacv1beta1_RoleBinding_roleRef: "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  rbacv1beta1_ClusterRoleBinding_roleRef: "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  certv1beta1_CertificateSigningRequestSpec_signerName: "Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it's a kubelet client certificate, it is assigned\n    \"kubernetes.io/kube-apiserver-client-kubelet\".\n 2. If it's a kubelet serving certificate, it is assigned\n    \"kubernetes.io/kubelet-serving\".\n 3. Otherwise, it is assigned \"kubernetes.io/legacy-unknown\".\nDistribution of trust for signers happens out of band. You can select on this field using `spec.signerName`.",
  certv1beta1_CertificateSigningRequestSpec_request: "Base64-encoded PKCS#10 CSR data",
  certv1beta1_CertificateSigningRequestSpec_expirationSeconds: "expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the requested duration\n  3. Signer whose configured minimum is longer than the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes.",
  certv1beta1_CertificateSigningRequestStatus_conditions: "Conditions applied to the request, such as approval or denial.",
  coord_LeaseSpec_holderIdentity: "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
  storagev1_StorageClass_provisioner: "provisioner indicates the type of the provisioner.",
  storagev1_StorageClass_reclaimPolicy: "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.",
  storagev1_StorageClass_volumeBindingMode: "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.",
  storagev1_StorageClass_allowVolumeExpansion: "allowVolumeExpansion shows whether the storage class allow volume expand.",
  appsv1beta1_ControllerRevision_revision: "revision indicates the revision of the state represented by Data.",
  schedv1_PriorityClass_value: "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
  schedv1_PriorityClass_globalDefault: "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
  schedv1_PriorityClass_preemptionPolicy: "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
  storagev1_VolumeAttachmentSpec_attacher: "attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().",
  storagev1_VolumeAttachmentSource_persistentVolumeName: "persistentVolumeName represents the name of the persistent volume to attach.",
  storagev1_VolumeAttachmentSpec_nodeName: "nodeName represents the node that the volume should be attached to.",
  storagev1_VolumeAttachmentStatus_attached: "attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.",
  discv1beta1_EndpointSlice_addressType: "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.",
  discv1beta1_EndpointSlice_ports: "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.",
  discv1beta1_EndpointSlice_endpoints: "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.",
  storagev1_CSIDriverSpec_attachRequired: "attachRequired indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting. The CSI external-attacher coordinates with CSI volume driver and updates the volumeattachment status when the attach operation is complete. If the CSIDriverRegistry feature gate is enabled and the value is specified to false, the attach operation will be skipped. Otherwise the attach operation will be called.\n\nThis field is immutable.",
  storagev1_CSIDriverSpec_podInfoOnMount: "podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true. If set to false, pod information will not be passed on mount. Default is false.\n\nThe CSI driver specifies podInfoOnMount as part of driver deployment. If true, Kubelet will pass pod information as VolumeContext in the CSI NodePublishVolume() calls. The CSI driver is responsible for parsing and validating the information passed in as VolumeContext.\n\nThe following VolumeContext will be passed if podInfoOnMount is set to true. This list might grow, but the prefix will be used. \"csi.storage.k8s.io/pod.name\": pod.Name \"csi.storage.k8s.io/pod.namespace\": pod.Namespace \"csi.storage.k8s.io/pod.uid\": string(pod.UID) \"csi.storage.k8s.io/ephemeral\": \"true\" if the volume is an ephemeral inline volume\n                                defined by a CSIVolumeSource, otherwise \"false\"\n\n\"csi.storage.k8s.io/ephemeral\" is a new feature in Kubernetes 1.16. It is only required for drivers which support both the \"Persistent\" and \"Ephemeral\" VolumeLifecycleMode. Other drivers can leave pod info disabled and/or ignore this field. As Kubernetes 1.15 doesn't support this field, drivers can only support one mode when deployed on such a cluster and the deployment determines which mode that is, for example via a command line parameter of the driver.\n\nThis field was immutable in Kubernetes < 1.29 and now is mutable.",
  storagev1_CSIDriverSpec_storageCapacity: "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information, if set to true.\n\nThe check can be enabled immediately when deploying a driver. In that case, provisioning new volumes with late binding will pause until the driver deployment has published some suitable CSIStorageCapacity object.\n\nAlternatively, the driver can be deployed with the field unset or false and it can be flipped later when storage capacity information has been published.\n\nThis field was immutable in Kubernetes <= 1.22 and now is mutable.",
  storagev1_CSIDriverSpec_tokenRequests: "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication. Kubelet will pass the tokens in VolumeContext in the CSI NodePublishVolume calls. The CSI driver should parse and validate the following VolumeContext: \"csi.storage.k8s.io/serviceAccount.tokens\": {\n  \"<audience>\": {\n    \"token\": <token>,\n    \"expirationTimestamp\": <expiration timestamp in RFC3339>,\n  },\n  ...\n}\n\nNote: Audience in each TokenRequest should be different and at most one token is empty string. To receive a new token after expiry, RequiresRepublish can be used to trigger NodePublishVolume periodically.",
  storagev1_CSIDriverSpec_requiresRepublish: "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume. This field defaults to false.\n\nNote: After a successful initial NodePublishVolume call, subsequent calls to NodePublishVolume should only update the contents of the volume. New mount points will not be seen by a running container.",
  storagev1_CSIDriverSpec_volumeLifecycleModes: "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports. The default if the list is empty is \"Persistent\", which is the usage defined by the CSI specification and implemented in Kubernetes via the usual PV/PVC mechanism.\n\nThe other mode is \"Ephemeral\". In this mode, volumes are defined inline inside the pod spec with CSIVolumeSource and their lifecycle is tied to the lifecycle of that pod. A driver has to be aware of this because it is only going to get a NodePublishVolume call for such a volume.\n\nFor more information about implementing this mode, see https://kubernetes-csi.github.io/docs/ephemeral-local-volumes.html A driver can support one or more of these modes and more modes may be added in the future.\n\nThis field is beta. This field is immutable.",
  fcv1_PriorityLevelConfigurationReference_name: "`name` is the name of the priority level configuration being referenced Required.",
  fcv1_FlowSchemaSpec_matchingPrecedence: "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.",
  fcv1_FlowSchemaSpec_distinguisherMethod: "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.",
  fcv1_PriorityLevelConfigurationSpec_type: "`type` indicates whether this priority level is subject to limitation on request execution.  A value of `\"Exempt\"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `\"Limited\"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server's limited capacity is made available exclusively to this priority level. Required.",
  fcv1_LimitedPriorityLevelConfiguration_nominalConcurrencyShares: "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats available at this priority level. This is used both for requests dispatched from this priority level as well as requests dispatched from other priority levels borrowing seats from this level. The server's concurrency limit (ServerCL) is divided among the Limited priority levels in proportion to their NCS values:\n\nNominalCL(i)  = ceil( ServerCL * NCS(i) / sum_ncs ) sum_ncs = sum[priority level k] NCS(k)\n\nBigger numbers mean a larger nominal concurrency limit, at the expense of every other priority level.\n\nIf not specified, this field defaults to a value of 30.\n\nSetting this field to zero supports the construction of a \"jail\" for this priority level that is used to hold some request(s)",
  fcv1_QueuingConfiguration_queues: "`queues` is the number of queues for this priority level. The queues exist independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This field has a default value of 64.",
  fcv1_QueuingConfiguration_handSize: "`handSize` is a small positive number that configures the shuffle sharding of requests into queues.  When enqueuing a request at this priority level the request's flow identifier (a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand of the size specified here.  The request is put into one of the shortest queues in that hand. `handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy flows do not saturate most of the queues).  See the user-facing documentation for more extensive guidance on setting this field.  This field has a default value of 8.",
  fcv1_QueuingConfiguration_queueLengthLimit: "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  This value must be positive.  If not specified, it will be defaulted to 50.",
} as const;

// ---------------------------------------------------------------------------
// Small, allocation-free accessors over untyped JSON
// ---------------------------------------------------------------------------

type O = Record<string, unknown>;
const NO_FIELDS: O = Object.freeze({}) as O;
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

function rec(v: unknown): O {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as O) : NO_FIELDS;
}
function isObj(v: unknown): v is O {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : NO_ITEMS;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
function countKeys(v: unknown): number {
  if (!isObj(v)) return 0;
  let n = 0;
  for (const _ in v) n++;
  return n;
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/** Marker for Go's zero time.Time (missing/null/unparseable timestamps). */
const ZERO_TIME = Number.NEGATIVE_INFINITY;
/** 0001-01-01T00:00:00Z, which Go treats as the zero time as well. */
const GO_ZERO_MS = -62135596800000;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an RFC 3339 timestamp (Go's time.RFC3339 layout, optional fraction)
 * to epoch ms; NaN when malformed, ZERO_TIME for Go's zero time. metav1.Time
 * has whole-second precision on the wire, so `micro` = false truncates to the
 * second like a stored object would be; MicroTime keeps its fraction.
 * Parsed by hand: Date.parse is slower, laxer, and this runs once per row.
 */
function parseRFC3339(v: string, micro: boolean): number {
  if (v.length < 20) return Number.NaN;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const h = digits(v, 11, 2);
  const mi = digits(v, 14, 2);
  const s = digits(v, 17, 2);
  const t = v.charCodeAt(10);
  if (
    y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 ||
    v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || (t !== 84 && t !== 116) ||
    v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  let i = 19;
  let frac = 0;
  if (v.charCodeAt(i) === 46) {
    let scale = 100;
    const from = ++i;
    while (i < v.length) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      frac += c * scale;
      scale /= 10;
      i++;
    }
    if (i === from) return Number.NaN;
  }
  let offset: number;
  const z = v.charCodeAt(i);
  if ((z === 90 || z === 122) && i === v.length - 1) {
    offset = 0;
  } else if ((z === 43 || z === 45) && i === v.length - 6 && v.charCodeAt(i + 3) === 58) {
    const oh = digits(v, i + 1, 2);
    const om = digits(v, i + 4, 2);
    if (oh < 0 || om < 0) return Number.NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60000;
  } else {
    return Number.NaN;
  }
  let ms: number;
  if (y >= 100) {
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - offset;
  } else {
    // Date.UTC maps years 0-99 to 1900+; set the year explicitly instead.
    const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
    dt.setUTCFullYear(y, mo - 1, d);
    ms = dt.getTime() - offset;
  }
  ms = micro ? ms + Math.floor(frac) : Math.floor(ms / 1000) * 1000;
  return ms === GO_ZERO_MS ? ZERO_TIME : ms;
}

/** Lenient timestamp read: missing, null, empty or malformed values are the zero time. */
function parseTime(v: unknown, micro = false): number {
  if (typeof v !== 'string') return ZERO_TIME;
  const t = parseRFC3339(v, micro);
  return Number.isNaN(t) ? ZERO_TIME : t;
}

/**
 * Kubernetes' `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration):
 * the AGE format kubectl shows, with ~2-3 significant figures.
 * "45s", "3m12s", "15m", "5h", "5h3m", "2d3h", "10d", "2y57d", "9y";
 * up to 2s in the future prints "0s", further is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes < 10) {
    const sec = seconds % 60;
    return sec === 0 ? `${minutes}m` : `${minutes}m${sec}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3600000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

// Consecutive objects often share a creationTimestamp (bulk-created pods,
// replicas of one rollout); remembering the last conversion skips both the
// parse and the formatting for them.
let lastSinceInput: unknown = undefined;
let lastSinceNow = Number.NaN;
let lastSinceOutput = '';

/** printers' translateTimestampSince: "<unknown>" for the zero time, else HumanDuration(now - t). */
function since(ts: unknown, now: number): string {
  if (ts === lastSinceInput && now === lastSinceNow) return lastSinceOutput;
  const t = parseTime(ts);
  const out = t === ZERO_TIME ? '<unknown>' : humanDuration(now - t);
  lastSinceInput = ts;
  lastSinceNow = now;
  lastSinceOutput = out;
  return out;
}

/** Same as {@link since} for metav1.MicroTime fields (event times). */
function sinceMicro(ts: unknown, now: number): string {
  const t = parseTime(ts, true);
  return t === ZERO_TIME ? '<unknown>' : humanDuration(now - t);
}

/** Go's `t.UTC().Format(time.RFC3339)` of a metav1.Time, as the default convertor prints "Created At". */
function rfc3339(ts: unknown): string {
  // Stored timestamps are normally already in this exact form.
  if (typeof ts === 'string' && ts.length === 20 && ts.charCodeAt(19) === 90 && ts.charCodeAt(10) === 84) return ts;
  const t = parseTime(ts);
  if (t === ZERO_TIME) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().slice(0, 19) + 'Z';
}

// ---------------------------------------------------------------------------
// Shared formatting helpers (labels, selectors, containers)
// ---------------------------------------------------------------------------

/** labels.FormatLabels: sorted `k=v` pairs joined by ",", or "<none>". */
function formatLabels(v: unknown): string {
  if (!isObj(v)) return '<none>';
  const keys = Object.keys(v);
  if (keys.length === 0) return '<none>';
  keys.sort();
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += (i === 0 ? '' : ',') + k + '=' + str(v[k]);
  }
  return out;
}

/**
 * labels.Selector.String() of metav1.LabelSelectorAsSelector(sel): requirements
 * sorted by key, values of set-based requirements sorted. Returns undefined
 * when the selector is invalid (LabelSelectorAsSelector would error).
 */
function selectorString(sel: unknown): string | undefined {
  if (!isObj(sel)) return '';
  const matchLabels = rec(sel.matchLabels);
  const exprs = arr(sel.matchExpressions);
  const reqs: { key: string; text: string }[] = [];
  for (const k in matchLabels) reqs.push({ key: k, text: k + '=' + str(matchLabels[k]) });
  for (const e of exprs) {
    const ex = rec(e);
    const key = str(ex.key);
    const values = arr(ex.values).map(str);
    const sorted = values.length > 1 ? [...values].sort() : values;
    switch (ex.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} ${ex.operator === 'In' ? 'in' : 'notin'} (${sorted.join(',')})` });
        break;
      case 'Exists':
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: '!' + key });
        break;
      default:
        return undefined;
    }
  }
  if (reqs.length === 0) return '';
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let out = '';
  for (let i = 0; i < reqs.length; i++) out += (i === 0 ? '' : ',') + (reqs[i] as { text: string }).text;
  return out;
}

/** metav1.FormatLabelSelector: "<none>" for empty/nil, "<error>" for invalid selectors. */
function formatLabelSelector(sel: unknown): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, each joined by ",". */
function containerCells(podSpec: unknown, out: unknown[]): void {
  const containers = arr(rec(podSpec).containers);
  let names = '';
  let images = '';
  for (let i = 0; i < containers.length; i++) {
    const c = rec(containers[i]);
    if (i > 0) {
      names += ',';
      images += ',';
    }
    names += str(c.name);
    images += str(c.image);
  }
  out.push(names, images);
}

function templateSpec(obj: KObject): O {
  return rec(rec(rec(obj.spec).template).spec);
}

/** Go's strconv rendering of an IntOrString (PDB minAvailable etc.). */
function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

/** resource.Quantity.String(): stored quantities are already canonical strings; numbers print as-is. */
function quantity(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '0' : v;
  if (typeof v === 'number') return String(v);
  return '0';
}

function sortedUnique(values: string[]): string[] {
  values.sort();
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === 0 || values[i] !== values[w - 1]) values[w++] = values[i] as string;
  }
  values.length = w;
  return values;
}

/** net.JoinHostPort: IPv6 hosts get brackets. */
function joinHostPort(host: string, port: unknown): string {
  const p = typeof port === 'number' ? String(port) : str(port) || '0';
  return host.includes(':') ? `[${host}]:${p}` : `${host}:${p}`;
}

function hasDeletionTimestamp(obj: KObject): boolean {
  const d = obj.metadata.deletionTimestamp;
  return d !== undefined && d !== null && d !== '';
}

function col(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

const NAME_COL = col('Name', 'string', D.meta_ObjectMeta_name, 0, 'name');
const AGE_COL = col('Age', 'string', D.meta_ObjectMeta_creationTimestamp);
const CONTAINERS_COL = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES_COL = col('Images', 'string', 'Images referenced by each container in the template.', 1);

// ---------------------------------------------------------------------------
// Printers
// ---------------------------------------------------------------------------

interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  /** Builds the cells of one row; `group` distinguishes core vs events.k8s.io events. */
  cells(obj: KObject, now: number, group: string): unknown[];
  /** Row conditions (only the pod printer sets them). */
  conditions?(obj: KObject): TableRowCondition[] | undefined;
  /** The default convertor leaves rows nil (JSON null) when there are no items. */
  readonly nilEmptyRows?: boolean;
  /** The APIService convertor ignores noHeaders. */
  readonly alwaysHeaders?: boolean;
  /** List printers that reorder items (FlowSchemas sort by precedence). */
  sortList?(objects: readonly KObject[]): readonly KObject[];
}

// --- pods -------------------------------------------------------------------

const POD_SUCCEEDED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const POD_FAILED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

function conditionTrue(conditions: readonly unknown[], type: string): boolean {
  for (const c of conditions) {
    const cond = rec(c);
    if (cond.type === type) return cond.status === 'True';
  }
  return false;
}

function podCells(obj: KObject, now: number): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const conditions = arr(status.conditions);
  // READY, STATUS and RESTARTS: printPod, shared with the console's pod projection.
  // Our parseTime reads finishedAt as the API server stores it (whole seconds).
  const { reason, readyContainers, totalContainers, restarts, lastRestartAt } = podPrintStatus(obj, { parseTime });

  const restartsCell =
    restarts !== 0 && lastRestartAt !== undefined
      ? `${restarts} (${humanDuration(now - lastRestartAt)} ago)`
      : String(restarts);

  // Wide cells. The internal pod keeps only podIPs; v1 podIP is folded into it.
  const podIPs = arr(status.podIPs);
  let podIP = podIPs.length > 0 ? str(rec(podIPs[0]).ip) : str(status.podIP);
  if (podIP === '') podIP = '<none>';
  const nodeName = str(spec.nodeName) || '<none>';
  const nominated = str(status.nominatedNodeName) || '<none>';
  let readinessGates = '<none>';
  const gates = arr(spec.readinessGates);
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const g of gates) {
      const want = rec(g).conditionType;
      for (const c of conditions) {
        const cond = rec(c);
        if (cond.type === want) {
          if (cond.status === 'True') trueConditions++;
          break;
        }
      }
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }

  return [
    obj.metadata.name,
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsCell,
    since(obj.metadata.creationTimestamp, now),
    podIP,
    nodeName,
    nominated,
    readinessGates,
  ];
}

const podPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COL,
    col('IP', 'string', D.core_PodStatus_podIP, 1),
    col('Node', 'string', D.core_PodSpec_nodeName, 1),
    col('Nominated Node', 'string', D.core_PodStatus_nominatedNodeName, 1),
    col('Readiness Gates', 'string', D.core_PodSpec_readinessGates, 1),
  ],
  cells: podCells,
  conditions(obj) {
    const phase = rec(obj.status).phase;
    return phase === 'Succeeded' ? POD_SUCCEEDED : phase === 'Failed' ? POD_FAILED : undefined;
  },
};

const podTemplatePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells(obj) {
    const template = rec(obj.template);
    const out: unknown[] = [obj.metadata.name];
    containerCells(template.spec, out);
    out.push(formatLabels(rec(template.metadata).labels));
    return out;
  },
};

// --- nodes ------------------------------------------------------------------

function nodeAddress(status: O, type: string): string {
  for (const a of arr(status.addresses)) {
    const addr = rec(a);
    if (addr.type === type) return str(addr.address);
  }
  return '<none>';
}

function nodeRoles(labels: unknown): string {
  if (!isObj(labels)) return '<none>';
  let roles: string[] | undefined;
  for (const k in labels) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') (roles ??= []).push(role);
    } else if (k === 'kubernetes.io/role') {
      const v = str(labels[k]);
      if (v !== '') (roles ??= []).push(v);
    }
  }
  if (roles === undefined) return '<none>';
  return sortedUnique(roles).join(',');
}

const nodePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE_COL,
    col('Version', 'string', D.core_NodeSystemInfo_kubeletVersion),
    col('Internal-IP', 'string', D.core_NodeStatus_addresses, 1),
    col('External-IP', 'string', D.core_NodeStatus_addresses, 1),
    col('OS-Image', 'string', D.core_NodeSystemInfo_osImage, 1),
    col('Kernel-Version', 'string', D.core_NodeSystemInfo_kernelVersion, 1),
    col('Container-Runtime', 'string', D.core_NodeSystemInfo_containerRuntimeVersion, 1),
  ],
  cells(obj, now) {
    const status = rec(obj.status);
    // Only the Ready condition feeds STATUS; a later duplicate wins (Go map semantics).
    let ready: O | undefined;
    for (const c of arr(status.conditions)) {
      const cond = rec(c);
      if (cond.type === 'Ready') ready = cond;
    }
    let st = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
    if (rec(obj.spec).unschedulable === true) st += ',SchedulingDisabled';
    const info = rec(status.nodeInfo);
    return [
      obj.metadata.name,
      st,
      nodeRoles(obj.metadata.labels),
      since(obj.metadata.creationTimestamp, now),
      str(info.kubeletVersion),
      nodeAddress(status, 'InternalIP'),
      nodeAddress(status, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

// --- namespaces, configmaps, secrets, serviceaccounts -----------------------

const namespacePrinter: Printer = {
  columns: [NAME_COL, col('Status', 'string', 'The status of the namespace'), AGE_COL],
  cells(obj, now) {
    // The namespace strategy always sets phase on create; tolerate objects that skipped it.
    return [obj.metadata.name, str(rec(obj.status).phase) || 'Active', since(obj.metadata.creationTimestamp, now)];
  },
};

const configMapPrinter: Printer = {
  columns: [NAME_COL, col('Data', 'string', D.core_ConfigMap_data), AGE_COL],
  cells(obj, now) {
    return [
      obj.metadata.name,
      countKeys(obj.data) + countKeys(obj.binaryData),
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

const secretPrinter: Printer = {
  columns: [NAME_COL, col('Type', 'string', D.core_Secret_type), col('Data', 'string', D.core_Secret_data), AGE_COL],
  cells(obj, now) {
    return [obj.metadata.name, str(obj.type) || 'Opaque', countKeys(obj.data), since(obj.metadata.creationTimestamp, now)];
  },
};

const serviceAccountPrinter: Printer = {
  columns: [NAME_COL, col('Secrets', 'string', D.core_ServiceAccount_secrets), AGE_COL],
  cells(obj, now) {
    return [obj.metadata.name, arr(obj.secrets).length, since(obj.metadata.creationTimestamp, now)];
  },
};

// --- services, endpoints, endpointslices ------------------------------------

function loadBalancerIngress(status: unknown): string {
  const ingress = arr(rec(rec(status).loadBalancer).ingress);
  if (ingress.length === 0) return '';
  const out: string[] = [];
  for (const i of ingress) {
    const ing = rec(i);
    const ip = str(ing.ip);
    const host = str(ing.hostname);
    if (ip !== '') out.push(ip);
    else if (host !== '') out.push(host);
  }
  // The apiserver prints the wide variant, so the 16-char clipping never applies.
  return sortedUnique(out).join(',');
}

function serviceExternalIP(obj: KObject, type: string): string {
  const spec = rec(obj.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(obj.status);
      if (externalIPs.length > 0) return (lb !== '' ? lb + ',' : '') + externalIPs.join(',');
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < ports.length; i++) {
    const p = rec(ports[i]);
    const protocol = str(p.protocol) || 'TCP';
    const nodePort = num(p.nodePort);
    out += (i === 0 ? '' : ',') + (nodePort > 0 ? `${num(p.port)}:${nodePort}/${protocol}` : `${num(p.port)}/${protocol}`);
  }
  return out === '' ? '<none>' : out;
}

const servicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'string', D.core_ServiceSpec_type),
    col('Cluster-IP', 'string', D.core_ServiceSpec_clusterIP),
    col('External-IP', 'string', D.core_ServiceSpec_externalIPs),
    col('Port(s)', 'string', D.core_ServiceSpec_ports),
    AGE_COL,
    col('Selector', 'string', D.core_ServiceSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const type = str(spec.type) || 'ClusterIP';
    // The internal Service keeps clusterIPs only; v1 clusterIP is folded into it.
    const clusterIPs = arr(spec.clusterIPs);
    const clusterIP = clusterIPs.length > 0 ? str(clusterIPs[0]) : str(spec.clusterIP) || '<none>';
    return [
      obj.metadata.name,
      type,
      clusterIP,
      serviceExternalIP(obj, type),
      servicePorts(arr(spec.ports)),
      since(obj.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};

function formatEndpoints(subsets: readonly unknown[]): string {
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of subsets) {
    const ss = rec(s);
    const addresses = arr(ss.addresses);
    const ports = arr(ss.ports);
    if (ports.length === 0) {
      // Headless services may have no ports at all.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(rec(a).ip));
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(rec(a).ip), rec(p).port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

const endpointsPrinter: Printer = {
  columns: [NAME_COL, col('Endpoints', 'string', D.core_Endpoints_subsets), AGE_COL],
  cells(obj, now) {
    return [obj.metadata.name, formatEndpoints(arr(obj.subsets)), since(obj.metadata.creationTimestamp, now)];
  },
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('AddressType', 'string', D.discv1beta1_EndpointSlice_addressType),
    col('Ports', 'string', D.discv1beta1_EndpointSlice_ports),
    col('Endpoints', 'string', D.discv1beta1_EndpointSlice_endpoints),
    AGE_COL,
  ],
  cells(obj, now) {
    const max = 3;
    const ports: string[] = [];
    let portsMore = false;
    let portCount = 0;
    for (const p of arr(obj.ports)) {
      const port = rec(p);
      if (ports.length < max) {
        ports.push(typeof port.port === 'number' ? String(port.port) : typeof port.name === 'string' ? port.name : '*');
      } else if (ports.length === max) {
        portsMore = true;
      }
      portCount++;
    }
    const addrs: string[] = [];
    let addrMore = false;
    let addrCount = 0;
    for (const e of arr(obj.endpoints)) {
      for (const a of arr(rec(e).addresses)) {
        if (addrs.length < max) addrs.push(str(a));
        else if (addrs.length === max) addrMore = true;
        addrCount++;
      }
    }
    return [
      obj.metadata.name,
      str(obj.addressType),
      listWithMore(ports, portsMore, portCount, max),
      listWithMore(addrs, addrMore, addrCount, max),
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

// --- events -----------------------------------------------------------------

/**
 * Both core/v1 and events.k8s.io/v1 events are printed by the same (internal
 * core Event) printer; the latter names the same fields differently.
 */
function eventCells(obj: KObject, now: number, group: string): unknown[] {
  const v1 = group !== 'events.k8s.io';
  const firstTs = v1 ? obj.firstTimestamp : obj.deprecatedFirstTimestamp;
  const lastTs = v1 ? obj.lastTimestamp : obj.deprecatedLastTimestamp;
  const involved = rec(v1 ? obj.involvedObject : obj.regarding);
  const source = rec(v1 ? obj.source : obj.deprecatedSource);
  const reportingController = str(v1 ? obj.reportingComponent : obj.reportingController);
  const message = str(v1 ? obj.message : obj.note);

  const firstT = parseTime(firstTs);
  const first = firstT === ZERO_TIME ? sinceMicro(obj.eventTime, now) : humanDuration(now - firstT);
  const lastT = parseTime(lastTs);
  let last = lastT === ZERO_TIME ? first : humanDuration(now - lastT);
  let count = num(v1 ? obj.count : obj.deprecatedCount);
  if (isObj(obj.series)) {
    last = sinceMicro(obj.series.lastObservedTime, now);
    count = num(obj.series.count);
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }

  const kind = str(involved.kind).toLowerCase();
  const name = str(involved.name);
  const component = str(source.component) || reportingController;
  const instance = str(source.host) || str(obj.reportingInstance);
  return [
    last,
    str(obj.type),
    str(obj.reason),
    name !== '' ? `${kind}/${name}` : kind,
    str(involved.fieldPath),
    instance === '' ? component : `${component}, ${instance}`,
    message.trim(),
    first,
    count,
    obj.metadata.name,
  ];
}

const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', D.core_Event_lastTimestamp),
    col('Type', 'string', D.core_Event_type),
    col('Reason', 'string', D.core_Event_reason),
    col('Object', 'string', D.core_Event_involvedObject),
    col('Subobject', 'string', D.core_ObjectReference_fieldPath, 1),
    col('Source', 'string', D.core_Event_source, 1),
    col('Message', 'string', D.core_Event_message),
    col('First Seen', 'string', D.core_Event_firstTimestamp, 1),
    col('Count', 'string', D.core_Event_count, 1),
    col('Name', 'string', D.meta_ObjectMeta_name, 1, 'name'),
  ],
  cells: eventCells,
};

// --- workloads --------------------------------------------------------------

function replicas(spec: O): number {
  // spec.replicas is defaulted to 1 by the apiserver.
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

const deploymentPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', D.ext_DeploymentStatus_updatedReplicas),
    col('Available', 'string', D.ext_DeploymentStatus_availableReplicas),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.ext_DeploymentSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const out: unknown[] = [
      obj.metadata.name,
      `${num(status.readyReplicas)}/${replicas(spec)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(templateSpec(obj), out);
    // Deployments print selector.String() directly: "" rather than "<none>".
    out.push(selectorString(spec.selector) ?? '<invalid>');
    return out;
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'integer', D.ext_ReplicaSetSpec_replicas),
    col('Current', 'integer', D.ext_ReplicaSetStatus_replicas),
    col('Ready', 'integer', D.ext_ReplicaSetStatus_readyReplicas),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.ext_ReplicaSetSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const out: unknown[] = [
      obj.metadata.name,
      replicas(spec),
      num(status.replicas),
      num(status.readyReplicas),
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(templateSpec(obj), out);
    out.push(formatLabelSelector(spec.selector));
    return out;
  },
};

const replicationControllerPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'integer', D.core_ReplicationControllerSpec_replicas),
    col('Current', 'integer', D.core_ReplicationControllerStatus_replicas),
    col('Ready', 'integer', D.core_ReplicationControllerStatus_readyReplicas),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.core_ReplicationControllerSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const out: unknown[] = [
      obj.metadata.name,
      replicas(spec),
      num(status.replicas),
      num(status.readyReplicas),
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(templateSpec(obj), out);
    out.push(formatLabels(spec.selector));
    return out;
  },
};

const daemonSetPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Desired', 'integer', D.ext_DaemonSetStatus_desiredNumberScheduled),
    col('Current', 'integer', D.ext_DaemonSetStatus_currentNumberScheduled),
    col('Ready', 'integer', D.ext_DaemonSetStatus_numberReady),
    col('Up-to-date', 'integer', D.ext_DaemonSetStatus_updatedNumberScheduled),
    col('Available', 'integer', D.ext_DaemonSetStatus_numberAvailable),
    col('Node Selector', 'string', D.core_PodSpec_nodeSelector),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.ext_DaemonSetSpec_selector, 1),
  ],
  cells(obj, now) {
    const status = rec(obj.status);
    const podSpec = templateSpec(obj);
    const out: unknown[] = [
      obj.metadata.name,
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(podSpec.nodeSelector),
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(podSpec, out);
    out.push(formatLabelSelector(rec(obj.spec).selector));
    return out;
  },
};

const statefulSetPrinter: Printer = {
  columns: [NAME_COL, col('Ready', 'string', 'Number of the pod with ready state'), AGE_COL, CONTAINERS_COL, IMAGES_COL],
  cells(obj, now) {
    const out: unknown[] = [
      obj.metadata.name,
      `${num(rec(obj.status).readyReplicas)}/${replicas(rec(obj.spec))}`,
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(templateSpec(obj), out);
    return out;
  },
};

const controllerRevisionPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', D.appsv1beta1_ControllerRevision_revision),
    AGE_COL,
  ],
  cells(obj, now) {
    let controller = '<none>';
    for (const r of arr(obj.metadata.ownerReferences)) {
      const ref = rec(r);
      if (ref.controller !== true) continue;
      const apiVersion = str(ref.apiVersion);
      const slash = apiVersion.indexOf('/');
      const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
      const kind = str(ref.kind);
      const gk = group === '' ? kind : `${kind}.${group}`;
      controller = gk === '' ? str(ref.name) : `${gk.toLowerCase()}/${str(ref.name)}`;
      break;
    }
    return [obj.metadata.name, controller, num(obj.revision), since(obj.metadata.creationTimestamp, now)];
  },
};

function jobCondition(conditions: readonly unknown[], type: string): boolean {
  return conditionTrue(conditions, type);
}

const jobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', D.batchv1_JobStatus_succeeded),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.batchv1_JobSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const succeeded = num(status.succeeded);
    let completions: string;
    if (typeof spec.completions === 'number') {
      completions = `${succeeded}/${spec.completions}`;
    } else {
      const parallelism = num(spec.parallelism);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    let duration = '';
    const start = parseTime(status.startTime);
    if (start !== ZERO_TIME) {
      const done = parseTime(status.completionTime);
      duration = humanDuration((done === ZERO_TIME ? now : done) - start);
    }
    const conditions = arr(status.conditions);
    let st: string;
    if (jobCondition(conditions, 'Complete')) st = 'Complete';
    else if (jobCondition(conditions, 'Failed')) st = 'Failed';
    else if (hasDeletionTimestamp(obj)) st = 'Terminating';
    else if (jobCondition(conditions, 'Suspended')) st = 'Suspended';
    else if (jobCondition(conditions, 'FailureTarget')) st = 'FailureTarget';
    else st = 'Running';
    const out: unknown[] = [obj.metadata.name, st, completions, duration, since(obj.metadata.creationTimestamp, now)];
    containerCells(templateSpec(obj), out);
    out.push(formatLabelSelector(spec.selector));
    return out;
  },
};

const cronJobPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Schedule', 'string', D.batchv1beta1_CronJobSpec_schedule),
    col('Timezone', 'string', D.batchv1beta1_CronJobSpec_timeZone),
    col('Suspend', 'boolean', D.batchv1beta1_CronJobSpec_suspend),
    col('Active', 'integer', D.batchv1beta1_CronJobStatus_active),
    col('Last Schedule', 'string', D.batchv1beta1_CronJobStatus_lastScheduleTime),
    AGE_COL,
    CONTAINERS_COL,
    IMAGES_COL,
    col('Selector', 'string', D.batchv1_JobSpec_selector, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const jobSpec = rec(rec(spec.jobTemplate).spec);
    const last = parseTime(status.lastScheduleTime) === ZERO_TIME ? '<none>' : since(status.lastScheduleTime, now);
    // spec.suspend is defaulted to false, so an absent value prints "False".
    const suspend = spec.suspend === true ? 'True' : 'False';
    const out: unknown[] = [
      obj.metadata.name,
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      suspend,
      arr(status.active).length,
      last,
      since(obj.metadata.creationTimestamp, now),
    ];
    containerCells(rec(rec(jobSpec.template).spec), out);
    out.push(formatLabelSelector(jobSpec.selector));
    return out;
  },
};

// --- autoscaling ------------------------------------------------------------

interface MetricView {
  spec: O;
  status: O | undefined;
}

/** HPA metrics in the internal (autoscaling/v2) form; autoscaling/v1 objects are mapped onto it. */
function hpaMetrics(obj: KObject): MetricView[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const specs = arr(spec.metrics);
  const statuses = arr(status.currentMetrics);
  if (specs.length > 0) {
    return specs.map((m, i) => ({ spec: rec(m), status: i < statuses.length ? rec(statuses[i]) : undefined }));
  }
  // autoscaling/v1 shape, or no metrics at all (storage defaulting makes that CPU 80%).
  const target = typeof spec.targetCPUUtilizationPercentage === 'number' ? spec.targetCPUUtilizationPercentage : 80;
  const current = status.currentCPUUtilizationPercentage;
  return [
    {
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } },
      status:
        typeof current === 'number'
          ? { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }
          : undefined,
    },
  ];
}

function formatHPAMetrics(metrics: MetricView[]): string {
  if (metrics.length === 0) return '<none>';
  const list: string[] = [];
  const max = 2;
  for (const { spec, status } of metrics) {
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object';
        const target = rec(rec(spec[key]).target);
        const cur = status !== undefined && isObj(status[key]) ? rec(rec(status[key]).current) : undefined;
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const current = cur !== undefined && cur.averageValue != null ? quantity(cur.averageValue) : '<unknown>';
          list.push(`${current}/${quantity(target.averageValue)} (avg)`);
        } else {
          const current = cur !== undefined ? quantity(cur.value) : '<unknown>';
          list.push(`${current}/${quantity(target.value)}`);
        }
        break;
      }
      case 'Pods': {
        const cur = status !== undefined && isObj(status.pods) ? quantity(rec(status.pods.current).averageValue) : '<unknown>';
        list.push(`${cur}/${quantity(rec(rec(spec.pods).target).averageValue)}`);
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
        const src = rec(spec[key]);
        const target = rec(src.target);
        const cur = status !== undefined && isObj(status[key]) ? rec(rec(status[key]).current) : undefined;
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const current = cur !== undefined ? quantity(cur.averageValue) : '<unknown>';
          list.push(`${str(src.name)}: ${current}/${quantity(target.averageValue)}`);
        } else {
          const current =
            cur !== undefined && typeof cur.averageUtilization === 'number' ? `${cur.averageUtilization}%` : '<unknown>';
          const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
          list.push(`${str(src.name)}: ${current}/${tgt}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  }
  if (list.length > max) {
    const count = list.length;
    return `${list.slice(0, max).join(', ')} + ${count - max} more...`;
  }
  return list.join(', ');
}

const hpaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Reference', 'string', D.asv2beta1_HorizontalPodAutoscalerSpec_scaleTargetRef),
    col('Targets', 'string', D.asv2beta1_HorizontalPodAutoscalerSpec_metrics),
    col('MinPods', 'string', D.asv2beta1_HorizontalPodAutoscalerSpec_minReplicas),
    col('MaxPods', 'string', D.asv2beta1_HorizontalPodAutoscalerSpec_maxReplicas),
    col('Replicas', 'string', D.asv2beta1_HorizontalPodAutoscalerStatus_currentReplicas),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const ref = rec(spec.scaleTargetRef);
    // minReplicas is defaulted to 1.
    const minPods = typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '1';
    return [
      obj.metadata.name,
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHPAMetrics(hpaMetrics(obj)),
      minPods,
      num(spec.maxReplicas),
      num(rec(obj.status).currentReplicas),
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

// --- policy, coordination ---------------------------------------------------

const pdbPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const min = spec.minAvailable;
    const max = spec.maxUnavailable;
    return [
      obj.metadata.name,
      min === undefined || min === null ? 'N/A' : intOrString(min),
      max === undefined || max === null ? 'N/A' : intOrString(max),
      num(rec(obj.status).disruptionsAllowed),
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

const leasePrinter: Printer = {
  columns: [NAME_COL, col('Holder', 'string', D.coord_LeaseSpec_holderIdentity), AGE_COL],
  cells(obj, now) {
    return [obj.metadata.name, str(rec(obj.spec).holderIdentity), since(obj.metadata.creationTimestamp, now)];
  },
};

// --- storage ----------------------------------------------------------------

function accessModes(modes: readonly unknown[]): string {
  const has = (m: string): boolean => modes.includes(m);
  const out: string[] = [];
  if (has('ReadWriteOnce')) out.push('RWO');
  if (has('ReadOnlyMany')) out.push('ROX');
  if (has('ReadWriteMany')) out.push('RWX');
  if (has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

function storageClassOf(obj: KObject): string {
  const ann = obj.metadata.annotations;
  if (ann !== undefined && Object.prototype.hasOwnProperty.call(ann, BETA_STORAGE_CLASS)) {
    return ann[BETA_STORAGE_CLASS] ?? '';
  }
  return str(rec(obj.spec).storageClassName);
}

const persistentVolumePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Capacity', 'string', D.core_PersistentVolumeSpec_capacity),
    col('Access Modes', 'string', D.core_PersistentVolumeSpec_accessModes),
    col('Reclaim Policy', 'string', D.core_PersistentVolumeSpec_persistentVolumeReclaimPolicy),
    col('Status', 'string', D.core_PersistentVolumeStatus_phase),
    col('Claim', 'string', D.core_PersistentVolumeSpec_claimRef),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', D.core_PersistentVolumeStatus_reason),
    AGE_COL,
    col('VolumeMode', 'string', D.core_PersistentVolumeSpec_volumeMode, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const claimRef = spec.claimRef;
    const claim = isObj(claimRef) ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '';
    return [
      obj.metadata.name,
      quantity(rec(spec.capacity).storage),
      accessModes(arr(spec.accessModes)),
      str(spec.persistentVolumeReclaimPolicy),
      hasDeletionTimestamp(obj) ? 'Terminating' : str(status.phase),
      claim,
      storageClassOf(obj),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
      str(status.reason),
      since(obj.metadata.creationTimestamp, now),
      typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
    ];
  },
};

const persistentVolumeClaimPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', D.core_PersistentVolumeClaimStatus_phase),
    col('Volume', 'string', D.core_PersistentVolumeClaimSpec_volumeName),
    col('Capacity', 'string', D.core_PersistentVolumeClaimStatus_capacity),
    col('Access Modes', 'string', D.core_PersistentVolumeClaimStatus_accessModes),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COL,
    col('VolumeMode', 'string', D.core_PersistentVolumeClaimSpec_volumeMode, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const volumeName = str(spec.volumeName);
    // Capacity and access modes are only shown once the claim is bound.
    const capacity = volumeName !== '' ? quantity(rec(status.capacity).storage) : '';
    const modes = volumeName !== '' ? accessModes(arr(status.accessModes)) : '';
    return [
      obj.metadata.name,
      hasDeletionTimestamp(obj) ? 'Terminating' : str(status.phase),
      volumeName,
      capacity,
      modes,
      storageClassOf(obj),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : '<unset>',
      since(obj.metadata.creationTimestamp, now),
      typeof spec.volumeMode === 'string' ? spec.volumeMode : '<unset>',
    ];
  },
};

const storageClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Provisioner', 'string', D.storagev1_StorageClass_provisioner),
    col('ReclaimPolicy', 'string', D.storagev1_StorageClass_reclaimPolicy),
    col('VolumeBindingMode', 'string', D.storagev1_StorageClass_volumeBindingMode),
    col('AllowVolumeExpansion', 'string', D.storagev1_StorageClass_allowVolumeExpansion),
    AGE_COL,
  ],
  cells(obj, now) {
    const ann = obj.metadata.annotations ?? {};
    const isDefault =
      ann['storageclass.kubernetes.io/is-default-class'] === 'true' ||
      ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${obj.metadata.name} (default)` : obj.metadata.name,
      str(obj.provisioner),
      str(obj.reclaimPolicy) || 'Delete',
      str(obj.volumeBindingMode) || 'Immediate',
      obj.allowVolumeExpansion === true,
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

const volumeAttachmentPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Attacher', 'string', D.storagev1_VolumeAttachmentSpec_attacher, 0, 'name'),
    col('PV', 'string', D.storagev1_VolumeAttachmentSource_persistentVolumeName),
    col('Node', 'string', D.storagev1_VolumeAttachmentSpec_nodeName),
    col('Attached', 'boolean', D.storagev1_VolumeAttachmentStatus_attached),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    return [
      obj.metadata.name,
      str(spec.attacher),
      str(rec(spec.source).persistentVolumeName),
      str(spec.nodeName),
      rec(obj.status).attached === true,
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

const csiNodePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'),
    AGE_COL,
  ],
  cells(obj, now) {
    return [obj.metadata.name, arr(rec(obj.spec).drivers).length, since(obj.metadata.creationTimestamp, now)];
  },
};

const csiDriverPrinter: Printer = {
  columns: [
    NAME_COL,
    col('AttachRequired', 'boolean', D.storagev1_CSIDriverSpec_attachRequired),
    col('PodInfoOnMount', 'boolean', D.storagev1_CSIDriverSpec_podInfoOnMount),
    col('StorageCapacity', 'boolean', D.storagev1_CSIDriverSpec_storageCapacity),
    col('TokenRequests', 'string', D.storagev1_CSIDriverSpec_tokenRequests),
    col('RequiresRepublish', 'boolean', D.storagev1_CSIDriverSpec_requiresRepublish),
    col('Modes', 'string', D.storagev1_CSIDriverSpec_volumeLifecycleModes),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const modes = arr(spec.volumeLifecycleModes).map(str).join(',');
    const tokenRequests = Array.isArray(spec.tokenRequests)
      ? spec.tokenRequests.map((t) => str(rec(t).audience)).join(',')
      : '<unset>';
    return [
      obj.metadata.name,
      spec.attachRequired !== false,
      spec.podInfoOnMount === true,
      spec.storageCapacity === true,
      tokenRequests,
      spec.requiresRepublish === true,
      modes === '' ? '<none>' : modes,
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

// --- networking -------------------------------------------------------------

const ingressPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const rules = arr(spec.rules);
    const max = 3;
    const hosts: string[] = [];
    let more = false;
    for (const r of rules) {
      if (hosts.length === max) more = true;
      const host = str(rec(r).host);
      if (!more && host !== '') hosts.push(host);
    }
    let hostsCell = hosts.length === 0 ? '*' : hosts.join(',');
    if (hosts.length > 0 && more) hostsCell = `${hostsCell} + ${rules.length - max} more...`;
    return [
      obj.metadata.name,
      typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>',
      hostsCell,
      loadBalancerIngress(obj.status),
      arr(spec.tls).length > 0 ? '80, 443' : '80',
      since(obj.metadata.creationTimestamp, now),
    ];
  },
};

const ingressClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    let parameters = '<none>';
    if (isObj(spec.parameters)) {
      const p = spec.parameters;
      parameters = str(p.kind) + (typeof p.apiGroup === 'string' ? '.' + p.apiGroup : '') + '/' + str(p.name);
    }
    return [obj.metadata.name, str(spec.controller), parameters, since(obj.metadata.creationTimestamp, now)];
  },
};

const networkPolicyPrinter: Printer = {
  columns: [NAME_COL, col('Pod-Selector', 'string', D.ext_NetworkPolicySpec_podSelector), AGE_COL],
  cells(obj, now) {
    // podSelector is a struct (never nil) internally, so a missing one is "select everything".
    const sel = rec(obj.spec).podSelector;
    return [obj.metadata.name, formatLabelSelector(isObj(sel) ? sel : NO_FIELDS), since(obj.metadata.creationTimestamp, now)];
  },
};

// --- rbac -------------------------------------------------------------------

function bindingPrinter(kind: 'roleBinding' | 'clusterRoleBinding'): Printer {
  return {
    columns: [
      NAME_COL,
      col('Role', 'string', kind === 'roleBinding' ? D.rbacv1beta1_RoleBinding_roleRef : D.rbacv1beta1_ClusterRoleBinding_roleRef),
      AGE_COL,
      col('Users', 'string', `Users in the ${kind}`, 1),
      col('Groups', 'string', `Groups in the ${kind}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, 1),
    ],
    cells(obj, now) {
      const roleRef = rec(obj.roleRef);
      const users: string[] = [];
      const groups: string[] = [];
      const sas: string[] = [];
      for (const s of arr(obj.subjects)) {
        const subject = rec(s);
        if (subject.kind === 'ServiceAccount') sas.push(`${str(subject.namespace)}/${str(subject.name)}`);
        else if (subject.kind === 'User') users.push(str(subject.name));
        else if (subject.kind === 'Group') groups.push(str(subject.name));
      }
      return [
        obj.metadata.name,
        `${str(roleRef.kind)}/${str(roleRef.name)}`,
        since(obj.metadata.creationTimestamp, now),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  };
}

// --- certificates, scheduling, node, admission, flowcontrol -----------------

const csrPrinter: Printer = {
  columns: [
    NAME_COL,
    AGE_COL,
    col('SignerName', 'string', D.certv1beta1_CertificateSigningRequestSpec_signerName),
    col('Requestor', 'string', D.certv1beta1_CertificateSigningRequestSpec_request),
    col('RequestedDuration', 'string', D.certv1beta1_CertificateSigningRequestSpec_expirationSeconds),
    col('Condition', 'string', D.certv1beta1_CertificateSigningRequestStatus_conditions),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    let approved = false;
    let denied = false;
    let failed = false;
    for (const c of arr(status.conditions)) {
      const t = rec(c).type;
      if (t === 'Approved') approved = true;
      else if (t === 'Denied') denied = true;
      else if (t === 'Failed') failed = true;
    }
    let condition = denied ? 'Denied' : approved ? 'Approved' : 'Pending';
    if (failed) condition += ',Failed';
    if (str(status.certificate) !== '') condition += ',Issued';
    return [
      obj.metadata.name,
      since(obj.metadata.creationTimestamp, now),
      str(spec.signerName) || '<none>',
      str(spec.username),
      typeof spec.expirationSeconds === 'number' ? humanDuration(spec.expirationSeconds * 1000) : '<none>',
      condition,
    ];
  },
};

const priorityClassPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Value', 'integer', D.schedv1_PriorityClass_value),
    col('Global-Default', 'boolean', D.schedv1_PriorityClass_globalDefault),
    AGE_COL,
    col('PreemptionPolicy', 'string', D.schedv1_PriorityClass_preemptionPolicy),
  ],
  cells(obj, now) {
    return [
      obj.metadata.name,
      num(obj.value),
      obj.globalDefault === true,
      since(obj.metadata.creationTimestamp, now),
      str(obj.preemptionPolicy),
    ];
  },
};

const runtimeClassPrinter: Printer = {
  // ObjectMeta has no "handler" doc, so upstream ends up with an empty description.
  columns: [NAME_COL, col('Handler', 'string', ''), AGE_COL],
  cells(obj, now) {
    return [obj.metadata.name, str(obj.handler), since(obj.metadata.creationTimestamp, now)];
  },
};

const webhookConfigurationPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'),
    AGE_COL,
  ],
  cells(obj, now) {
    return [obj.metadata.name, arr(obj.webhooks).length, since(obj.metadata.creationTimestamp, now)];
  },
};

function matchingPrecedence(obj: KObject): number {
  const p = rec(obj.spec).matchingPrecedence;
  return typeof p === 'number' ? p : 1000;
}

const flowSchemaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('PriorityLevel', 'string', D.fcv1_PriorityLevelConfigurationReference_name),
    col('MatchingPrecedence', 'string', D.fcv1_FlowSchemaSpec_matchingPrecedence),
    col('DistinguisherMethod', 'string', D.fcv1_FlowSchemaSpec_distinguisherMethod),
    AGE_COL,
    col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const dm = spec.distinguisherMethod;
    let missing = '?';
    for (const c of arr(rec(obj.status).conditions)) {
      const cond = rec(c);
      if (cond.type === 'Dangling') {
        missing = str(cond.status);
        break;
      }
    }
    return [
      obj.metadata.name,
      str(rec(spec.priorityLevelConfiguration).name),
      matchingPrecedence(obj),
      isObj(dm) ? str(dm.type) : '<none>',
      since(obj.metadata.creationTimestamp, now),
      missing,
    ];
  },
  sortList(objects) {
    // printFlowSchemaList orders by precedence, then name (FlowSchemaSequence).
    return [...objects].sort((a, b) => {
      const d = matchingPrecedence(a) - matchingPrecedence(b);
      if (d !== 0) return d;
      return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
    });
  },
};

const priorityLevelPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'string', D.fcv1_PriorityLevelConfigurationSpec_type),
    col('NominalConcurrencyShares', 'string', D.fcv1_LimitedPriorityLevelConfiguration_nominalConcurrencyShares),
    col('Queues', 'string', D.fcv1_QueuingConfiguration_queues),
    col('HandSize', 'string', D.fcv1_QueuingConfiguration_handSize),
    col('QueueLengthLimit', 'string', D.fcv1_QueuingConfiguration_queueLengthLimit),
    AGE_COL,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    let ncs: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (isObj(spec.limited)) {
      const limited = spec.limited;
      ncs = num(limited.nominalConcurrencyShares);
      const q = rec(limited.limitResponse).queuing;
      if (isObj(q)) {
        queues = num(q.queues);
        handSize = num(q.handSize);
        queueLengthLimit = num(q.queueLengthLimit);
      }
    }
    return [obj.metadata.name, str(spec.type), ncs, queues, handSize, queueLengthLimit, since(obj.metadata.creationTimestamp, now)];
  },
};

// --- quotas, component statuses ---------------------------------------------

const resourceQuotaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    AGE_COL,
  ],
  cells(obj, now) {
    const status = rec(obj.status);
    const hard = rec(status.hard);
    const used = rec(status.used);
    const resources = Object.keys(hard).sort();
    const requests: string[] = [];
    const limits: string[] = [];
    for (const r of resources) {
      const entry = `${r}: ${quantity(used[r])}/${quantity(hard[r])}`;
      const dot = r.indexOf('.');
      if (dot > 0 && r.slice(0, dot) === 'limits') limits.push(entry);
      else requests.push(entry);
    }
    return [obj.metadata.name, requests.join(', '), limits.join(', '), since(obj.metadata.creationTimestamp, now)];
  },
};

const componentStatusPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  cells(obj) {
    let status = 'Unknown';
    let message = '';
    let error = '';
    for (const c of arr(obj.conditions)) {
      const cond = rec(c);
      if (cond.type === 'Healthy') {
        status = cond.status === 'True' ? 'Healthy' : 'Unhealthy';
        message = str(cond.message);
        error = str(cond.error);
        break;
      }
    }
    return [obj.metadata.name, status, message, error];
  },
};

// --- APIService (kube-aggregator's own convertor) ---------------------------

const apiServicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    AGE_COL,
  ],
  alwaysHeaders: true,
  cells(obj, now) {
    const svc = rec(obj.spec).service;
    const service = isObj(svc) ? `${str(svc.namespace)}/${str(svc.name)}` : 'Local';
    let available = 'Unknown';
    for (const c of arr(rec(obj.status).conditions)) {
      const cond = rec(c);
      if (cond.type !== 'Available') continue;
      const st = str(cond.status);
      const reason = str(cond.reason);
      available = st === 'True' || reason === '' ? st : `${st} (${reason})`;
      break;
    }
    return [obj.metadata.name, service, available, since(obj.metadata.creationTimestamp, now)];
  },
};

// --- default convertor --------------------------------------------------------

const defaultPrinter: Printer = {
  columns: [NAME_COL, col('Created At', 'date', D.meta_ObjectMeta_creationTimestamp)],
  nilEmptyRows: true,
  cells(obj) {
    return [obj.metadata.name, rfc3339(obj.metadata.creationTimestamp)];
  },
};

// ---------------------------------------------------------------------------
// Custom resources (apiextensions tableconvertor + a small JSONPath subset)
// ---------------------------------------------------------------------------

type PathStep =
  | { k: 'field'; name: string }
  | { k: 'index'; i: number }
  | { k: 'slice'; start: number | undefined; end: number | undefined }
  | { k: 'wild' }
  | { k: 'filter'; path: PathStep[]; op: string; value: unknown };

/**
 * Compiles the subset of kubectl JSONPath that CRD printer columns use in
 * practice: `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `.*` and
 * `[?(@.type=="Ready")]` filters. Returns undefined for anything else, which
 * then renders as an empty cell (the apiserver's "missing value").
 */
function compilePath(src: string): PathStep[] | undefined {
  let s = src.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: PathStep[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      if (s[i + 1] === '.') return undefined; // recursive descent is not supported
      i++;
      if (s[i] === '*') {
        steps.push({ k: 'wild' });
        i++;
        continue;
      }
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') {
        if (s[i] === '\\' && i + 1 < s.length) {
          name += s[i + 1];
          i += 2;
        } else {
          name += s[i];
          i++;
        }
      }
      if (name !== '') steps.push({ k: 'field', name });
    } else if (c === '[') {
      const close = findClose(s, i);
      if (close < 0) return undefined;
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      const step = compileBracket(inner);
      if (step === undefined) return undefined;
      steps.push(step);
    } else {
      return undefined;
    }
  }
  return steps;
}

function findClose(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote !== '') {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function compileBracket(inner: string): PathStep | undefined {
  if (inner === '*') return { k: 'wild' };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { k: 'field', name: quoted[2] ?? '' };
  if (/^-?\d+$/.test(inner)) return { k: 'index', i: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice) {
    return {
      k: 'slice',
      start: slice[1] ? Number(slice[1]) : undefined,
      end: slice[2] ? Number(slice[2]) : undefined,
    };
  }
  const filter = /^\?\(\s*@((?:\.[^=!<>\s]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$/.exec(inner);
  if (filter) {
    const path = compilePath(filter[1] ?? '');
    if (path === undefined) return undefined;
    if (filter[2] === undefined) return { k: 'filter', path, op: 'exists', value: undefined };
    const raw = (filter[3] ?? '').trim();
    let value: unknown;
    const quotedValue = /^(['"])(.*)\1$/.exec(raw);
    if (quotedValue) value = quotedValue[2];
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
    else return undefined;
    return { k: 'filter', path, op: filter[2], value };
  }
  return undefined;
}

function evalPath(steps: readonly PathStep[], root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (step.k) {
        case 'field':
          if (isObj(v) && Object.prototype.hasOwnProperty.call(v, step.name)) next.push(v[step.name]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const idx = step.i < 0 ? v.length + step.i : step.i;
            if (idx >= 0 && idx < v.length) next.push(v[idx]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) next.push(...v.slice(step.start ?? 0, step.end ?? v.length));
          break;
        case 'wild':
          if (Array.isArray(v)) next.push(...v);
          else if (isObj(v)) for (const k of Object.keys(v).sort()) next.push(v[k]);
          break;
        case 'filter':
          if (Array.isArray(v)) for (const item of v) if (filterMatches(step, item)) next.push(item);
          break;
      }
    }
    cur = next;
    if (cur.length === 0) break;
  }
  return cur;
}

function filterMatches(step: Extract<PathStep, { k: 'filter' }>, item: unknown): boolean {
  const found = evalPath(step.path, item);
  if (step.op === 'exists') return found.length > 0;
  if (found.length === 0) return false;
  const left = found[0];
  const right = step.value;
  switch (step.op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    default:
      if (typeof left !== 'number' || typeof right !== 'number') return false;
      return step.op === '<' ? left < right : step.op === '>' ? left > right : step.op === '<=' ? left <= right : left >= right;
  }
}

/**
 * Go's `fmt.Print` of a float64: shortest `%g`, which switches to exponent
 * form below 1e-4 and from 1e6 on (e.g. "1.2345675e+06"), two-digit exponent.
 */
function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** jsonpath PrintResults of one value: strings raw, scalars via fmt, objects/arrays as compact JSON (sorted keys). */
function jsonPathText(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    // Unstructured decoding yields int64 for integral JSON numbers.
    return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v) : goFloat(v);
  }
  // encoding/json: map keys sorted, HTML-sensitive characters escaped.
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  const out: O = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

/** cellForJSONValue of the CRD convertor. */
function crdCell(type: string, v: unknown, now: number): unknown {
  if (v === null || v === undefined) return type === 'string' ? '<no value>' : null;
  switch (type) {
    case 'string':
      return jsonPathText(v);
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      // metav1.Time.UnmarshalQueryParameter: "" and "null" are the zero time.
      if (v === '' || v === 'null') return '<unknown>';
      const t = parseRFC3339(v, false);
      if (Number.isNaN(t)) return '<invalid>';
      return t === ZERO_TIME ? '<unknown>' : humanDuration(now - t);
    }
    default:
      return null;
  }
}

const crdPrinters = new WeakMap<readonly PrinterColumn[], Printer>();

function crdPrinter(columns: readonly PrinterColumn[]): Printer {
  const cached = crdPrinters.get(columns);
  if (cached !== undefined) return cached;
  // Without declared columns the apiextensions server serves a single Age column.
  const effective: readonly PrinterColumn[] =
    columns.length > 0
      ? columns
      : [{ name: 'Age', type: 'date', description: D.meta_ObjectMeta_creationTimestamp, jsonPath: '.metadata.creationTimestamp' }];
  const paths = effective.map((c) => compilePath(c.jsonPath));
  const types = effective.map((c) => c.type);
  const printer: Printer = {
    columns: [
      NAME_COL,
      ...effective.map((c) =>
        col(
          c.name,
          c.type,
          c.description !== undefined && c.description !== ''
            ? c.description
            : `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          c.priority ?? 0,
          c.format ?? '',
        ),
      ),
    ],
    cells(obj, now) {
      const out: unknown[] = [obj.metadata.name];
      for (let i = 0; i < paths.length; i++) {
        const path = paths[i];
        const found = path === undefined ? NO_ITEMS : evalPath(path, obj);
        out.push(found.length === 0 ? null : crdCell(types[i] as string, found[0], now));
      }
      return out;
    },
  };
  crdPrinters.set(columns, printer);
  return printer;
}

// ---------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------

const PRINTERS = new Map<string, Printer>([
  ['/pods', podPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/events', eventPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['/componentstatuses', componentStatusPrinter],
  ['events.k8s.io/events', eventPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['autoscaling/horizontalpodautoscalers', hpaPrinter],
  ['policy/poddisruptionbudgets', pdbPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['networking.k8s.io/networkpolicies', networkPolicyPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['rbac.authorization.k8s.io/rolebindings', bindingPrinter('roleBinding')],
  ['rbac.authorization.k8s.io/clusterrolebindings', bindingPrinter('clusterRoleBinding')],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
  ['storage.k8s.io/volumeattachments', volumeAttachmentPrinter],
  ['storage.k8s.io/csinodes', csiNodePrinter],
  ['storage.k8s.io/csidrivers', csiDriverPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['node.k8s.io/runtimeclasses', runtimeClassPrinter],
  ['certificates.k8s.io/certificatesigningrequests', csrPrinter],
  ['admissionregistration.k8s.io/mutatingwebhookconfigurations', webhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingwebhookconfigurations', webhookConfigurationPrinter],
  ['flowcontrol.apiserver.k8s.io/flowschemas', flowSchemaPrinter],
  ['flowcontrol.apiserver.k8s.io/prioritylevelconfigurations', priorityLevelPrinter],
  ['apiregistration.k8s.io/apiservices', apiServicePrinter],
]);

function printerFor(resource: string, group: string, printerColumns: readonly PrinterColumn[] | undefined): Printer {
  if (printerColumns !== undefined) return crdPrinter(printerColumns);
  return PRINTERS.get(`${group}/${resource}`) ?? defaultPrinter;
}

/**
 * True when the resource has a dedicated printer (false means the generic
 * NAME / CREATED AT table). Custom resources are handled via `printerColumns`.
 */
export function hasPrinter(resource: string, group: string): boolean {
  return PRINTERS.has(`${group}/${resource}`);
}

// ---------------------------------------------------------------------------
// Table assembly
// ---------------------------------------------------------------------------

/**
 * Maps the `includeObject` query parameter to {@link IncludeObject}; absent or
 * empty means Metadata, as in the apiserver. Returns undefined for anything
 * else — the apiserver then answers 400 BadRequest with the message
 * `unrecognized includeObject value: "<value>"`.
 */
export function parseIncludeObject(raw: string | null | undefined): IncludeObject | undefined {
  if (raw === null || raw === undefined || raw === '' || raw === 'Metadata') return 'Metadata';
  if (raw === 'None' || raw === 'Object') return raw;
  return undefined;
}

function metaApiVersion(opts: RowOptions): 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1' {
  return opts.version === 'v1beta1' ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
}

function buildRow(p: Printer, obj: KObject, group: string, opts: RowOptions): TableRow {
  const cells = p.cells(obj, opts.now, group);
  const conditions = p.conditions?.(obj);
  let object: unknown;
  switch (opts.includeObject) {
    case 'None':
      object = null;
      break;
    case 'Object':
      object = obj;
      break;
    default:
      // meta.AsPartialObjectMetadata: the full ObjectMeta, kind/apiVersion of meta.k8s.io/v1.
      object = { kind: 'PartialObjectMetadata', apiVersion: metaApiVersion(opts), metadata: obj.metadata };
  }
  return { cells, conditions, object };
}

function tableMetadata(listMeta: TableListMeta | undefined): TableListMeta {
  const m: TableListMeta = {};
  if (listMeta === undefined) return m;
  // ListMeta fields are omitempty (remainingItemCount is a pointer: kept when set).
  if (listMeta.resourceVersion !== undefined && listMeta.resourceVersion !== '') m.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue !== undefined && listMeta.continue !== '') m.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined && listMeta.remainingItemCount !== null) {
    m.remainingItemCount = listMeta.remainingItemCount;
  }
  return m;
}

/**
 * Converts a list of objects of one resource into the Table the apiserver
 * would return for a list request. `resource` is the plural resource name and
 * `group` the API group ('' for core).
 */
export function toTable(resource: string, group: string, objects: readonly KObject[], opts: TableOptions): TableObject {
  const p = printerFor(resource, group, opts.printerColumns);
  const items = p.sortList !== undefined ? p.sortList(objects) : objects;
  let rows: TableRow[] | null = [];
  for (let i = 0; i < items.length; i++) rows.push(buildRow(p, items[i] as KObject, group, opts));
  if (rows.length === 0 && p.nilEmptyRows === true) rows = null;
  return {
    kind: 'Table',
    apiVersion: metaApiVersion(opts),
    metadata: tableMetadata(opts.listMeta),
    columnDefinitions: opts.omitHeaders === true && p.alwaysHeaders !== true ? null : (p.columns as TableColumnDefinition[]),
    rows,
  };
}

/**
 * The Table the apiserver returns for a single object: a GET of one name, or
 * the payload of one watch event (where every event after the first is sent
 * with `omitHeaders`). Its resourceVersion is the object's.
 */
export function objectTable(
  resource: string,
  group: string,
  obj: KObject,
  opts: RowOptions & { omitHeaders?: boolean },
): TableObject {
  const p = printerFor(resource, group, opts.printerColumns);
  return {
    kind: 'Table',
    apiVersion: metaApiVersion(opts),
    metadata: tableMetadata({ resourceVersion: obj.metadata.resourceVersion }),
    columnDefinitions: opts.omitHeaders === true && p.alwaysHeaders !== true ? null : (p.columns as TableColumnDefinition[]),
    rows: [buildRow(p, obj, group, opts)],
  };
}

/** One Table row for `obj` (e.g. to build watch events incrementally). */
export function tableRow(resource: string, group: string, obj: KObject, opts: RowOptions): TableRow {
  return buildRow(printerFor(resource, group, opts.printerColumns), obj, group, opts);
}

/**
 * Column definitions of a resource's Table, including the priority-1 columns
 * kubectl shows only with `-o wide`. The returned array is shared: do not mutate.
 */
export function columnDefinitions(
  resource: string,
  group: string,
  printerColumns?: readonly PrinterColumn[],
): TableColumnDefinition[] {
  return printerFor(resource, group, printerColumns).columns as TableColumnDefinition[];
}
