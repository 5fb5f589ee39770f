// Resource quantities in base units, from the shared exact parser in @wharf/api.
export { milli, parseQuantity } from '@wharf/api';
