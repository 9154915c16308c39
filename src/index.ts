import { app } from '@azure/functions';

import { getConfig } from './shared/config';

// A bad setting stops the app at start-up, not at the first alert.
getConfig();

app.setup({ enableHttpStream: false });
