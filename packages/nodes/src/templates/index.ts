import type { JourneyTemplate } from './builder';
import { deliveryProblem } from './delivery';
import { customerAnniversary, replenishment, rewardsWelcome, winBack } from './lifecycle';
import { orderUpdates, productRecommendations, reviewRequest, thankYou } from './post-purchase';
import { smsSurvey } from './survey';

export { graphBuilder, type JourneyTemplate } from './builder';

/** Ready-made journeys for the seeds' flows; each compiles without errors (tested). */
export const templates: readonly JourneyTemplate[] = [
  orderUpdates,
  deliveryProblem,
  thankYou,
  reviewRequest,
  smsSurvey,
  productRecommendations,
  rewardsWelcome,
  replenishment,
  customerAnniversary,
  winBack,
];
