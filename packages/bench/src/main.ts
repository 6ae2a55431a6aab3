/** `npm run bench`: the AQL workloads (W4, W5) against hand-written SQL. */
import './aql-bench.js';
