/**
 * The app's version as package.json states it, for the bundle's `appVersion`. Only `version` is
 * imported, so the bundler inlines that one string and nothing else of package.json ships.
 */
import { version } from '../../package.json';

export const APP_VERSION: string = version;
