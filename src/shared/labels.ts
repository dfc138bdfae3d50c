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
