import { Rule } from '@hourglass/journey';
import { z } from 'zod';
import { Timestamp, Uuid } from './common';

/** A named audience rule. */
export const Segment = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  rule: Rule,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Segment = z.infer<typeof Segment>;

/** `POST /v1/segments`. */
export const SegmentCreateBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  rule: Rule,
});
export type SegmentCreateBody = z.infer<typeof SegmentCreateBody>;

/** `PATCH /v1/segments/:id`. */
export const SegmentUpdateBody = SegmentCreateBody.partial();
export type SegmentUpdateBody = z.infer<typeof SegmentUpdateBody>;

/** `POST /v1/segments/preview`: count and sample of the customers matching a rule. */
export const SegmentPreviewBody = z.object({
  rule: Rule,
  sample: z.number().int().min(0).max(100).default(10),
});
export type SegmentPreviewBody = z.infer<typeof SegmentPreviewBody>;

/** Count and sample of a segment. */
export const SegmentPreview = z.object({
  count: z.number().int(),
  sample: z.array(
    z.object({
      id: Uuid,
      email: z.string().nullable(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
    }),
  ),
});
export type SegmentPreview = z.infer<typeof SegmentPreview>;

/** `GET /v1/segments/:id/members/:customerId`. */
export const SegmentMembership = z.object({ member: z.boolean() });
