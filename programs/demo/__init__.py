"""The demo data set: the programmes, companies, milestones, figures and deals of shared/seeds."""
