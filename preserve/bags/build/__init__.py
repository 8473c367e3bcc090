"""Building a bag: start at ``build.build_bag`` (copy mode, or ``in_place=True``).

- ``build``: the plan, copying and hashing, writing the bag and renaming it into place;
- ``inplace``: converting one folder into a bag where it stands;
- ``sources``: walking the files and folders given; ``staging``: the staging folder
  that makes a build all-or-nothing; ``tagwrite``: writing the tag files and manifests;
- ``result``: ``BuildResult`` and the ``Inventory`` handed to tag hooks.
"""
