// Every migration, in order. A generated migration is added here (TypeORM loads this list, so the
// same list works from sources in tests and from dist/ in production).
import { Platform1764380000000 } from './1764380000000-platform';

export const MIGRATIONS = [Platform1764380000000];
