"""Building a bag: start at ``build.build_bag`` (copy mode, or ``in_place=True``).

- ``build``: checking the arguments, copying and hashing, renaming the bag into place;
- ``plan``: ``BuildPlan`` (the checked arguments) and writing the tag files both modes end with;
- ``inplace``: converting one folder into a bag where it stands;
- ``sources``: walking the files and folders given; ``staging``: the staging folder
  that makes a build all-or-nothing; ``tagwrite``: writing the tag files and manifests;
- ``result``: ``BuildResult`` and the ``Inventory`` handed to tag hooks.
"""
