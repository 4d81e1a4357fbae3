import { conformanceSuite } from './spec-conformance-suite.js';

// The fastify half of the corpus conformance matrix (the suite says what it checks and why it is split).
conformanceSuite('fastify');
