import { Option } from '@commander-js/extra-typings';
import { ENV } from '../config.js';

/** The LiveKit connection flags every room command shares, named as LiveKit's own tools name them. */
export const liveKitOptions = {
  url: () => new Option('--url <url>', `LiveKit server URL (env ${ENV.livekitUrl})`),
  apiKey: () => new Option('--api-key <key>', `LiveKit API key (env ${ENV.livekitApiKey})`),
  apiSecret: () => new Option('--api-secret <secret>', `LiveKit API secret (env ${ENV.livekitApiSecret}); prefer the environment`),
  token: (help = 'a ready-made access token instead of key and secret') => new Option('--token <jwt>', help),
};
