import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCrowdgateSchema, printCrowdgateSchema } from '../../resolvers/schema';

test('schema/schema.graphql is the SDL the code emits (run `npm run schema:emit` after changing the schema)', async () => {
  const emitted = printCrowdgateSchema(await buildCrowdgateSchema());
  const checkedIn = readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
  expect(checkedIn).toBe(emitted);
});
