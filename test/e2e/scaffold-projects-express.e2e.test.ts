import { generatedProjects } from './scaffold-projects-suite.js';

// The express half of the fixture matrix (the suite says what it runs and why it is split).
generatedProjects('express');
