import { DEMO_ACTORS } from '../auth/demo-actors.js';
import type { Db } from '../db/client.js';
import type { WorkflowGateway } from '../temporal/workflow-gateway.js';

export { DEMO_ACTORS };

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * A small demo data set: the demo actors and a VERIFIED brand "acme" whose
 * approved trademark is valid for a year. Safe to run on every start.
 */
export async function seedDemoData(db: Db, workflows: WorkflowGateway, now = new Date()): Promise<void> {
  const actors = new Map<string, string>();
  for (const { subject, roles } of DEMO_ACTORS) {
    const actor = await db.actor.upsert({ where: { subject }, create: { subject, roles }, update: {} });
    actors.set(subject, actor.id);
  }
  const brand = await db.brand.upsert({
    where: { slug: 'acme' },
    create: { slug: 'acme', name: 'Acme', members: { create: { actorId: actors.get('demo-brand')! } } },
    update: {},
  });
  const valid = await db.trademark.findFirst({ where: { brandId: brand.id, status: 'APPROVED', validUntil: { gt: now } } });
  if (!valid) {
    await db.trademark.create({
      data: {
        brandId: brand.id,
        registrationNumber: `EU-DEMO-${now.getUTCFullYear()}`,
        office: 'EUIPO',
        niceClasses: [25, 35],
        holderName: 'Acme Holdings Ltd',
        validFrom: new Date(now.getTime() - 24 * 60 * 60 * 1000),
        validUntil: new Date(now.getTime() + YEAR_MS),
        status: 'APPROVED',
        reviewNote: 'Demo data',
        reviewedById: actors.get('demo-reviewer')!,
        reviewedAt: now,
      },
    });
  }
  // The brand's workflow sets its status and the timer for the trademark's end; the worker's relay starts it.
  await db.$transaction((tx) => workflows.brandTrademarksChanged(tx, brand.id));
}
