import { startRouter } from './lib/router.svelte';
import { startShell } from './lib/shell.svelte';
import './app.css';

startRouter();
startShell();
