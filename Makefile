# tdx_page_array patch queue: see README.md.
#
#   make           set up, apply patches/ if needed, build build/linux as it
#                  is and run the KUnit suite without its slow cases
#   make check     selftest, then every gate; ends with "N passed, N failed"
#   make export    regenerate patches/ from the work branch in build/linux
#   make bench     time the work tree against the page allocator: build/bench.txt
#   make deep      the harness layer of the tests (scripts/deep/) on the work tree
#   make send      the mails patches/ would go out as, in build/send/ (sends nothing)
#   make mutate    break the series' lines one at a time: does the suite notice?
#   make KSRC=/path/to/linux [check]    the same on your own tree

SHELL := /bin/bash
S := scripts
CONFIG ?= plain
ifdef KSRC
# The series' base in your tree: HEAD minus the series (apply.sh checks it).
export TREE := $(abspath $(KSRC))
export BUILD := $(CURDIR)/build/ksrc
export BASE_REV = $(shell git -C $(TREE) rev-parse HEAD~$$(grep -cv -e '^\#' -e '^[[:space:]]*$$' patches/series))
SETUP := deps
APPLY = $(S)/apply.sh $(TREE)
else
SETUP := deps base
APPLY = $(S)/apply.sh
endif

all: apply
	$(S)/kunit.sh plain quick

deps:
	$(S)/deps.sh

base: deps
	$(S)/base.sh

apply: $(SETUP)
	$(APPLY)

kunit: apply
	$(S)/kunit.sh $(CONFIG) all

check: apply
	$(S)/check.sh

check-%: apply
	GATES=$* $(S)/check.sh

selftest:
	$(S)/gate-selftest.sh

size:
	$(S)/size.sh

bench: apply
	$(S)/bench.sh

# Deeper KUnit checks kept out of the series (scripts/deep/), in build/deep.
deep: apply
	$(S)/deep.sh

# Not part of check; no apply either (it tests a committed revision of
# build/linux in build/mutate and never touches build/linux).
mutate:
	$(S)/mutate.sh

export:
	$(S)/export.sh

# A dry run: patches/ signed off by you, To/Cc from get_maintainer.pl,
# written to build/send/ (README.md, "Sending").
send: $(SETUP)
	$(S)/send.sh

sparse: deps
	$(S)/sparse.sh

clean:
	rm -rf build/kunit-* build/obj-* build/gate-logs build/ksrc build/bench/kunit-* build/deep/kunit-* build/mutate/kunit-* build/send build/send-am.log
	-$(if $(KSRC),git -C $(KSRC) worktree prune)

distclean:
	-git -C build/linux worktree remove --force $(CURDIR)/build/bench/linux
	-git -C build/linux worktree remove --force $(CURDIR)/build/mutate/linux
	-git -C build/linux worktree remove --force $(CURDIR)/build/deep/linux
	-git -C build/linux worktree remove --force $(CURDIR)/build/bisect-src
	-git -C build/linux worktree remove --force $(CURDIR)/build/scratch-src
	-git -C build/linux worktree remove --force $(CURDIR)/build/linux
	rm -rf build
	-git -C "$$(. $(S)/lib.sh && echo "$$CACHE")/base/repo" worktree prune

.PHONY: all deps base apply kunit check selftest size bench deep mutate export send sparse clean distclean
