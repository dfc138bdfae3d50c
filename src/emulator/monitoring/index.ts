/**
 * The training fleet's monitoring: kube-prometheus' alerting rules evaluated
 * from each site's state, served through Alertmanager's API v2.
 */
export { fingerprint } from './fingerprint';
export { makeMatcher, parseMatcher, type Matcher } from './matchers';
export { SiteRules, TRAINING_FOR_SCALE, type FiringAlert, type SiteRulesOptions } from './rules';
export { ALERTMANAGER_VERSION, MonitoringServer, TRAINING_RECEIVER, type MonitoringServerOptions, type TrainingSilence } from './server';
