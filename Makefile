# tdx_page_array patch queue: see README.md.
#
#   make           install what is missing, prepare the base tree, apply the
#                  series, build it and run its KUnit suite under QEMU
#   make check     every quality gate; ends with "N passed, N failed"
#   make export    regenerate patches/ from the work branch in build/linux
#   make bench     the benchmark suite; the table goes to build/bench.txt
#   make KSRC=/path/to/linux    apply the series to your own tree instead

SHELL := /bin/bash
S := scripts

ifdef KSRC
all: deps
	$(S)/apply.sh $(KSRC)
	TREE=$(KSRC) BUILD=$(CURDIR)/build/ksrc $(S)/kunit.sh plain
else
all: apply
	$(S)/kunit.sh plain
endif

deps:
	$(S)/deps.sh

base: deps
	$(S)/base.sh

apply: base
	$(S)/apply.sh

export:
	$(S)/export.sh

check: apply
	$(S)/check.sh

check-%: apply
	GATES=$* $(S)/check.sh

CONFIG ?= plain
kunit: apply
	$(S)/kunit.sh $(CONFIG)

# The benchmark suite, left out of make and make check by their filter.
bench: apply
	$(S)/bench.sh

sparse: deps
	$(S)/sparse.sh

clean:
	rm -rf build
	-git -C /var/cache/tdx-page-array/base/repo worktree prune

.PHONY: all deps base apply export check kunit bench sparse clean
