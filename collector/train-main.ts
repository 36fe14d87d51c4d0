/**
 * Trains and publishes the community reward head from the stored donations:
 *
 *   npm run collector:train -- [--db path | --database-url URL] [--out dir] [--min-trust 0.5]
 *                              [--encoder id] [--safety id] [--chat-model id|none] [--models-dir public/models] [--report file.jsonl]
 *
 * Reads every stored bundle (read-only, one snapshot), scores each donor's and bundle's trust
 * (collector/community/trust.ts), trains on the ratings of the bundles at or above --min-trust
 * with the personal head's own code, and publishes `<out>/reward-head-v<N>.json` (N one more than
 * the latest there) for `GET /community/reward-head/latest`. Then, with the same trusted bundles,
 * the community generation adapter of --chat-model (default demo-chat-tiny; `none` skips it):
 * `<out>/adapter-<model>-v<N>.json`, for `GET /community/adapter/latest?model=<id>`. The encoder and the safety classifier
 * are the app's (by catalog id; the demo ones are read from --models-dir), run on
 * onnxruntime-node at q8 as the app's worker runs them on WASM. --report writes one JSON line per
 * bundle: its trust, whether it was used, and why not. Exit codes: 0 published, 1 nothing to
 * publish or a failure, 2 bad arguments.
 */
import { env } from '@huggingface/transformers';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENCODER_CATALOG, SAFETY_CATALOG } from '../src/reward/reward-catalog';
import { SafetyClassifier, SentenceEncoder } from '../workers/reward/reward-models';
import { DialogueModel } from '../workers/dialogue/dialogue-model';
import { sealAdapter } from '../workers/shared/community-artifact';
import { adapterToJson } from '../workers/shared/adapter-codec';
import { nextAdapterVersion, publishAdapter, publishArtifact, readLatestArtifact } from './community/artifact-files';
import { trainCommunityAdapter } from './community/train-adapter';
import { trainCommunity } from './community/train-community';
import { DEFAULT_MIN_TRUST } from './community/trust';
import { DEFAULTS } from './config';
import { describeLocation, storeFromArguments } from './store/location';
import { openStoreReadOnly } from './store/open-store';

const USAGE =
  'usage: npm run collector:train -- [--db path | --database-url URL] [--out dir] [--min-trust 0..1] [--encoder id] [--safety id] [--chat-model id|none] [--models-dir dir] [--report file.jsonl]';

function usage(problem: string): never {
  console.error(`collector:train: ${problem}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      db: { type: 'string' },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      'min-trust': { type: 'string' },
      encoder: { type: 'string' },
      safety: { type: 'string' },
      'chat-model': { type: 'string' },
      'models-dir': { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
if (text('db') !== undefined && text('database-url') !== undefined) usage('give --db or --database-url, not both');
const minTrust = Number(text('min-trust') ?? DEFAULT_MIN_TRUST);
if (!(minTrust >= 0 && minTrust <= 1)) usage('--min-trust must be a number from 0 to 1');
const encoderSpec = ENCODER_CATALOG.find((e) => e.spec.id === (text('encoder') ?? ENCODER_CATALOG[0]!.spec.id))?.spec;
const safetySpec = SAFETY_CATALOG.find((e) => e.spec.id === (text('safety') ?? SAFETY_CATALOG[0]!.spec.id))?.spec;
if (!encoderSpec) usage(`unknown encoder; one of ${ENCODER_CATALOG.map((e) => e.spec.id).join(', ')}`);
if (!safetySpec) usage(`unknown safety classifier; one of ${SAFETY_CATALOG.map((e) => e.spec.id).join(', ')}`);

const location = storeFromArguments({ db: text('db'), databaseUrl: text('database-url') });
const outDir = path.resolve(text('out') ?? (process.env.COLLECTOR_COMMUNITY_DIR?.trim() || DEFAULTS.communityDir));

const chatModel = text('chat-model') ?? 'demo-chat-tiny';
const modelsDir = path.resolve(text('models-dir') ?? 'public/models');
const isLocal = (id: string) => existsSync(path.join(modelsDir, id, 'config.json'));
env.allowLocalModels = true;
env.localModelPath = `${modelsDir}/`;
// The demo models are built here; a real model is fetched from the hub once, on the collector's machine.
env.allowRemoteModels = !(encoderSpec.local && safetySpec.local && (chatModel === 'none' || isLocal(chatModel)));

/** Trains and publishes the chat model's community adapter; 0 when published, 1 when not. */
async function publishCommunityAdapter(trusted: Parameters<typeof trainCommunityAdapter>[0]): Promise<number> {
  const model = await DialogueModel.load({ modelId: chatModel, device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: isLocal(chatModel) });
  try {
    const trained = await trainCommunityAdapter(trusted, { modelId: chatModel, vocabSize: model.vocabSize, ratedReplyLogits: (r) => model.ratedReplyLogits({ ...r, includeStop: r.positive }) });
    if (trained === null) {
      console.error(`collector:train: no community adapter for ${chatModel}: no trusted rated reply of that model`);
      return 1;
    }
    const artifact = await sealAdapter({
      format: 'community-generation-adapter',
      formatVersion: 1,
      version: nextAdapterVersion(outDir, chatModel),
      modelId: chatModel,
      vocabSize: model.vocabSize,
      adapter: adapterToJson(trained.state),
      donors: trained.donors,
      ratings: trained.ratings,
      minTrust,
      createdAt: new Date().toISOString(),
    });
    const file = publishAdapter(outDir, artifact);
    console.error(
      `collector:train: published the ${chatModel} adapter version ${artifact.version} (${artifact.ratings} rated replies from ${artifact.donors} donors, sha256 ${artifact.contentHash}) → ${file}`,
    );
    return 0;
  } finally {
    await model.dispose();
  }
}

let exitCode = 1;
const store = await openStoreReadOnly(location).catch((error: unknown) => {
  console.error(`collector:train: cannot open ${describeLocation(location)}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
try {
  const encoder = await SentenceEncoder.load(encoderSpec, { device: 'cpu', dtype: 'q8', localOnly: encoderSpec.local });
  const safety = await SafetyClassifier.load(safetySpec, { device: 'cpu', dtype: 'q8', localOnly: safetySpec.local });
  try {
    const previous = readLatestArtifact(outDir);
    const training = await trainCommunity(store.bodies(), {
      encoderId: encoderSpec.id,
      encode: (t) => encoder.encode(t),
      flag: async (texts) => (await safety.classify(texts, 0.5)).map((s) => s.flagged),
      minTrust,
      previous: previous?.encoderId === encoderSpec.id ? previous : null,
    });
    const used = training.bundles.filter((b) => b.used);
    for (const id of training.unreadable) console.error(`collector:train: warning: skipped bundle ${JSON.stringify(id)}: it is no longer a valid bundle`);
    for (const b of training.bundles.filter((x) => !x.used)) {
      console.error(`collector:train: skipped bundle ${b.bundleId} (trust ${b.trust.toFixed(2)} < ${minTrust}): ${b.reasons.join('; ')}`);
    }
    const report = text('report');
    if (report !== undefined) writeFileSync(report, training.bundles.map((b) => JSON.stringify(b)).join('\n') + (training.bundles.length ? '\n' : ''));
    console.error(
      `collector:train: ${training.bundles.length} bundles from ${training.donors.size} donors; ${used.length} trusted (min trust ${minTrust})`,
    );
    if (training.artifact === null) {
      console.error('collector:train: nothing to publish: the trusted bundles hold no liked and disliked ratings to learn from');
    } else {
      const file = publishArtifact(outDir, training.artifact);
      console.error(
        `collector:train: published version ${training.artifact.version} (${training.artifact.ratings} ratings from ${training.artifact.donors} donors, sha256 ${training.artifact.contentHash}) → ${file}`,
      );
      exitCode = 0;
    }
    if (chatModel !== 'none') exitCode = Math.max(exitCode, await publishCommunityAdapter(training.trusted));
  } finally {
    await encoder.dispose();
    await safety.dispose();
  }
} catch (error) {
  console.error(`collector:train: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await store.close();
}
process.exit(exitCode);
