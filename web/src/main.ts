import { startRouter } from '$shared/router.svelte';
import { startShell } from './lib/shell.svelte';
import '$shared/app.css';

// Every path on this site but the admin page's, the API's and the sign-in's.
startRouter(/^\/(?!(api|\.auth|admin)(\/|$))/);
startShell();
