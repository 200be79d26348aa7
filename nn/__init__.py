"""chainrule's neural-network package: it stands where ``torch.nn`` stands.

Modules, parameters, layers and losses land here as they are built.
"""
