"""REST API of the milestones app: milestones, safety events, efficacy readouts."""
