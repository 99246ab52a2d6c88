"""Training the salience model (`keypoints train`): examples and labels (`examples`),
model selection by cross-validation (`selection`), and the cross-validated keypoints
system that evaluates honestly on the training sets (`cross_validated`)."""
