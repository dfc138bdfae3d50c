/**
 * Node label keys for placing a node in its site, room and rack. The defaults
 * here are the training fleet's (documented in docs/fleet-labels.md); a real
 * fleet may use other keys, which triptych.yaml maps per site.
 */

/** Site (data center) of a node, e.g. `fra`. */
export const LABEL_REGION = 'topology.kubernetes.io/region';
/** Room of a node, `<site>-<room>`, e.g. `fra-b`. */
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
/** Rack of a node, `<ROOM>-<nn>`, e.g. `B-07`. */
export const LABEL_RACK = 'triptych.io/rack';
/** Lowest rack unit the node's chassis occupies (`1` = bottom). */
export const LABEL_RACK_UNIT = 'triptych.io/rack-unit';
/** Present on control-plane nodes (value empty). */
export const LABEL_CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

/** Annotations a node cordoned through Triptych carries: who, why and when (ISO 8601); every console and the handover read them. */
export const CORDON_BY = 'triptych.io/cordon-by';
export const CORDON_REASON = 'triptych.io/cordon-reason';
export const CORDON_AT = 'triptych.io/cordon-at';
