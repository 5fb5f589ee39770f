// Public exports of api/src/selectors (re-exported by api/src/index.ts).
export {
  parseLabelSelector,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorString,
  formatLabelSelector,
  everythingSelector,
  nothingSelector,
} from './label-selector.js';
export type { LabelMatcher, LabelRequirement, LabelOperator, LabelSelectorObject } from './label-selector.js';
export { parseFieldSelector, everythingFieldSelector, escapeFieldValue } from './field-selector.js';
export type { FieldMatcher, FieldRequirement } from './field-selector.js';
export { isDns1123Label, isDns1123Subdomain, isDns1035Label, isQualifiedName, isLabelValue } from './label-syntax.js';
