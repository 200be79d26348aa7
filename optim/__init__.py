"""chainrule's optimizers: this package stands where ``torch.optim`` stands.

Optimizers and learning-rate schedulers land here as they are built.
"""
