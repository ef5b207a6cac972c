/** @module mqtt/router — public surface of the router: topic rules, the subscription trie and `Router`. */

export { Router, type RouteVisitor } from './router.js';
export { SubscriptionTrie, type TrieVisitor } from './trie.js';
export {
  parseSharedFilter,
  topicMatches,
  validateTopicFilter,
  validateTopicName,
  type SharedFilter,
  type TopicCheck,
  type TopicLimits,
} from './topic.js';
