import type { JourneyTemplate } from './builder';
import { deliveryProblem } from './delivery';
import { customerAnniversary, replenishment, rewardsWelcome, winBack } from './lifecycle';
import { orderUpdates, productRecommendations, reviewRequest, thankYou } from './post-purchase';

export { graphBuilder, type JourneyTemplate } from './builder';

/** Ready-made journeys for the seeds' flows; each compiles without errors (tested). */
export const templates: readonly JourneyTemplate[] = [
  orderUpdates,
  deliveryProblem,
  thankYou,
  reviewRequest,
  productRecommendations,
  rewardsWelcome,
  replenishment,
  customerAnniversary,
  winBack,
];
