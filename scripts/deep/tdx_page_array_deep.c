// SPDX-License-Identifier: GPL-2.0
/*
 * The harness layer of the tdx_page_array tests: deeper checks kept out of
 * the posted series, applied on top by scripts/deep.sh (make deep, the
 * "deep" gate).  #included at the end of tdx.c after the posted suite, so
 * the posted mock (tests/tdx_module_mock.c) and the posted helpers
 * (test_array(), lend_array(), lend(), take_back(), ...) are in scope.
 *
 * (a) While the mock module holds a page, the page is out of the direct
 *     map: any kernel access to it faults at once.  This is stricter than
 *     hardware, where the page stays mapped and a stray access with the
 *     wrong KeyID corrupts data or poisons the line much later.  The
 *     pages come back into the direct map when the module releases them,
 *     so before any write-back, reset or free, and when a case ends.  The
 *     stubs also check that SEAMCALLs run preemptible: never under a
 *     spinlock or with preemption off.
 * (b) A bounded exhaustive sweep: every outcome class at every call index
 *     of give() and of lend + take back, the books checked after each run
 *     against rules computed here, not with the core's helpers.
 * (c) Other answers the module could give to an assumption the series
 *     makes, each row saying what the core must then do.
 * (d) Rows the reviews named, and a parallel case: kthreads lending and
 *     taking back their own arrays at the same time.
 */
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/set_memory.h>
#include <asm/tlbflush.h>

/* --- the stubs around the mock: serialized, (a) the direct map ---------- */

struct deep_worker;

struct deep_state {
	struct kunit *test;
	struct mutex lock;		/* serializes the mock's calls */
	struct xarray unmapped;		/* pfns out of the direct map */
	unsigned long unmaps;		/* runs taken out of the direct map */
	struct deep_worker *workers;	/* the parallel case: one mock each */
	unsigned int nr_workers;
	bool stop;			/* the parallel case timed out */
};

static struct deep_state *deep;

struct deep_worker {
	struct task_struct *task;
	struct tdx_mock *m;
	struct completion done;
	unsigned int id, rounds, busy, errors;
	int warnings;
};

/* The mock of the calling thread: a worker's own, or the case's. */
static struct tdx_mock *deep_mock_of_current(struct kunit *test)
{
	unsigned int i;

	for (i = 0; deep->workers && i < deep->nr_workers; i++)
		if (deep->workers[i].task == current)
			return deep->workers[i].m;
	return test->priv;
}

static void deep_set_run(struct kunit *test, unsigned long pfn,
			 unsigned long nr, bool valid)
{
	unsigned long i;
	int ret;

	if (!nr)
		return;
	ret = set_direct_map_valid_noflush(pfn_to_page(pfn), nr, valid);
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "set_direct_map_valid_noflush(%#lx, %lu, %d)",
			    pfn, nr, valid);
	if (ret)
		return;
	for (i = 0; i < nr; i++) {
		if (valid)
			xa_erase(&deep->unmapped, pfn + i);
		else
			xa_store(&deep->unmapped, pfn + i, xa_mk_value(1), GFP_KERNEL);
	}
	if (!valid)
		deep->unmaps++;
}

/* A run taken out of the direct map widens the range to flush. */
static void deep_end_run(struct kunit *test, unsigned long start, unsigned long nr,
			 bool valid, unsigned long *lo, unsigned long *hi)
{
	if (!nr)
		return;
	deep_set_run(test, start, nr, valid);
	if (valid)
		return;
	*lo = min(*lo, (unsigned long)pfn_to_kaddr(start));
	*hi = max(*hi, (unsigned long)pfn_to_kaddr(start + nr));
}

/*
 * (a) Pages @m no longer holds come back into the direct map; pages it
 * holds leave it, each contiguous run with one call, then one TLB flush.
 * With @all, every page of @m comes back (before the mock frees them).
 */
static void deep_sync_map(struct kunit *test, struct tdx_mock *m, bool all)
{
	unsigned long pfn, start = 0, nr = 0, lo = ULONG_MAX, hi = 0;
	void *entry;
	int valid;

	for (valid = 1; valid >= 0; valid--) {
		xa_for_each(&m->pages, pfn, entry) {
			bool held = !all && xa_to_value(entry) == MOCK_HELD;

			/* restore: released but unmapped; unmap: held but mapped */
			if (held == valid || !!xa_load(&deep->unmapped, pfn) != valid)
				continue;
			if (nr && pfn == start + nr) {
				nr++;
				continue;
			}
			deep_end_run(test, start, nr, valid, &lo, &hi);
			start = pfn;
			nr = 1;
		}
		deep_end_run(test, start, nr, valid, &lo, &hi);
		nr = 0;
	}
	if (lo < hi)
		flush_tlb_kernel_range(lo, hi);
}

static void deep_check_context(struct kunit *test, const char *what, u64 fn)
{
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		KUNIT_EXPECT_TRUE_MSG(test, preemptible(),
				      "%s %#llx not preemptible (preempt_count %#x)",
				      what, fn, preempt_count());
}

static u64 deep_seamcall_ret(u64 fn, struct tdx_module_args *args)
{
	struct kunit *test = kunit_get_current_test();
	void *priv;
	u64 ret;

	deep_check_context(test, "SEAMCALL", fn);
	mutex_lock(&deep->lock);
	priv = test->priv;
	test->priv = deep_mock_of_current(test);
	ret = mock_seamcall_ret(fn, args);
	deep_sync_map(test, test->priv, false);
	test->priv = priv;
	mutex_unlock(&deep->lock);
	return ret;
}

/* The KeyID's type as the mock (and so tdx_pa_cache_op()) takes it. */
typedef typeof(((struct tdx_mock *)NULL)->keyid) deep_keyid_t;

static u64 deep_cache_op(enum tdx_pa_cache_op op, struct page *page,
			 deep_keyid_t keyid)
{
	struct kunit *test = kunit_get_current_test();
	void *priv;
	u64 ret;

	if (op == TDX_PA_WBINVD)
		deep_check_context(test, "TDH.PHYMEM.PAGE.WBINVD of pfn", page_to_pfn(page));
	mutex_lock(&deep->lock);
	KUNIT_EXPECT_FALSE_MSG(test, xa_load(&deep->unmapped, page_to_pfn(page)),
			       "cache op %d on pfn %#lx, which the module holds",
			       op, page_to_pfn(page));
	priv = test->priv;
	test->priv = deep_mock_of_current(test);
	ret = mock_cache_op(op, page, keyid);
	test->priv = priv;
	mutex_unlock(&deep->lock);
	return ret;
}

/* Every page back into the direct map, then the mock's checks and frees. */
static void deep_mock_exit(void *data)
{
	struct tdx_mock *m = data;

	deep_sync_map(m->test, m, true);
	mock_exit(m);
}

/* Between two runs of one case: check and free as at a case's end, anew. */
static void deep_mock_reset(struct tdx_mock *m)
{
	struct kunit *test = m->test;

	mutex_lock(&deep->lock);
	deep_mock_exit(m);
	memset(m, 0, sizeof(*m));
	m->test = test;
	xa_init(&m->pages);
	mutex_unlock(&deep->lock);
}

/* Runs before mock_init()'s mock_exit(): every page mapped again. */
static void deep_exit(void *data)
{
	struct deep_state *d = data;
	unsigned long pfn;
	void *entry;

	xa_for_each(&d->unmapped, pfn, entry)
		KUNIT_EXPECT_EQ_MSG(d->test, set_direct_map_valid_noflush(pfn_to_page(pfn), 1, true),
				    0, "pfn %#lx back into the direct map", pfn);
	xa_destroy(&d->unmapped);
	deep = NULL;
}

static int deep_init(struct kunit *test)
{
	struct deep_state *d;
	int ret;

	ret = mock_init(test);
	if (ret)
		return ret;
	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->test = test;
	mutex_init(&d->lock);
	xa_init(&d->unmapped);
	deep = d;
	kunit_activate_static_stub(test, tdx_seamcall_ret, deep_seamcall_ret);
	kunit_activate_static_stub(test, tdx_pa_cache_op, deep_cache_op);
	return kunit_add_action_or_reset(test, deep_exit, d);
}

/* --- (b) the bounded exhaustive sweep ------------------------------------ */

enum deep_outcome {
	DEEP_NONE,		/* every call succeeds */
	DEEP_SW,		/* a software error: the SEAMCALL faulted (GP) */
	DEEP_BUSY,		/* took nothing: busy, another operand ID */
	DEEP_ENTROPY,		/* took nothing: no entropy */
	DEEP_INVALID,		/* took nothing on IOMMU.SETUP only */
	DEEP_OTHER,		/* another module error */
	DEEP_INTR_SW,		/* interrupted, then a software error */
	DEEP_INTR_BUSY,		/* interrupted, then busy */
	DEEP_WRONG_LIST,	/* a release that gives back another list */
	DEEP_WRONG_COUNT,	/* a release that reports another count */
	DEEP_WBINVD,		/* a write-back fails */
	DEEP_NR_OUTCOMES
};

static const char *const deep_outcome_name[] = {
	[DEEP_NONE]		= "success",
	[DEEP_SW]		= "GP fault",
	[DEEP_BUSY]		= "operand busy",
	[DEEP_ENTROPY]		= "no entropy",
	[DEEP_INVALID]		= "operand invalid",
	[DEEP_OTHER]		= "module error",
	[DEEP_INTR_SW]		= "interrupted, then GP fault",
	[DEEP_INTR_BUSY]	= "interrupted, then busy",
	[DEEP_WRONG_LIST]	= "wrong list released",
	[DEEP_WRONG_COUNT]	= "wrong count released",
	[DEEP_WBINVD]		= "write-back fails",
};

/*
 * How a successful release answers: a status at the posted mock's HEAD
 * (MOCK_NO_LIST a #define), a field of its own in later mocks.
 */
#ifdef MOCK_NO_LIST
#define DEEP_ANSWER(a)		.status = (a)
#else
#define DEEP_ANSWER(a)		.answer = (a)
#endif

#define DEEP_STATUS_BUSY	(TDX_OPERAND_BUSY | 2)
#define DEEP_STATUS_INVALID	(TDX_OPERAND_INVALID | 1)

/* The status of a one-call outcome, and the error after an interrupt. */
static u64 deep_status(enum deep_outcome o)
{
	switch (o) {
	case DEEP_SW:		return TDX_SEAMCALL_GP;
	case DEEP_BUSY:		return DEEP_STATUS_BUSY;
	case DEEP_ENTROPY:	return TDX_RND_NO_ENTROPY;
	case DEEP_INVALID:	return DEEP_STATUS_INVALID;
	case DEEP_OTHER:	return TDX_PAGE_METADATA_INCORRECT;
	case DEEP_INTR_SW:	return TDX_SEAMCALL_GP;
	case DEEP_INTR_BUSY:	return DEEP_STATUS_BUSY;
	case DEEP_WBINVD:	return TDX_OPERAND_INVALID;
	default:		return TDX_SUCCESS;
	}
}

static bool deep_interrupted(enum deep_outcome o)
{
	return o == DEEP_INTR_SW || o == DEEP_INTR_BUSY;
}

/* Faults for @o at the @nth call of @leaf; an interrupt takes @take. */
static void deep_faults(struct mock_fault *f, enum deep_outcome o,
			enum mock_leaf leaf, unsigned int nth, unsigned int take)
{
	memset(f, 0, 2 * sizeof(*f));
	if (o == DEEP_NONE)
		return;
	if (deep_interrupted(o)) {
		f[0] = (struct mock_fault){ .leaf = leaf, .nth = nth,
					    .status = TDX_INTERRUPTED_RESUMABLE, .take = take };
		nth++;
	}
	if (o == DEEP_WRONG_LIST)
		f[0] = (struct mock_fault){ .leaf = leaf, .nth = nth, DEEP_ANSWER(MOCK_WRONG_LIST) };
	else if (o == DEEP_WRONG_COUNT)
		f[0] = (struct mock_fault){ .leaf = leaf, .nth = nth, DEEP_ANSWER(MOCK_WRONG_COUNT) };
	else
		f[deep_interrupted(o)] = (struct mock_fault){ .leaf = leaf, .nth = nth,
							      .status = deep_status(o) };
}

struct deep_books {
	int ret;
	enum tdx_pa_owner owner;
	unsigned long held;	/* 4 KiB pages the mock holds */
	unsigned int freed;	/* give: pages the core freed */
	unsigned int calls;	/* give: TDH.EXT.MEM.ADD issued */
	int warnings;
};

/* Was the case still passing before this run: log where it first failed. */
static void deep_note_failure(struct kunit *test, bool *failed, const char *where)
{
	if (!*failed && test->status == KUNIT_FAILURE) {
		*failed = true;
		kunit_err(test, "first failure: %s\n", where);
	}
}

/* give(): 1 page (one window), 513 (two), 1025 (three) */
static const unsigned int deep_give_sizes[] = { 1, 513, 1025 };

static void deep_give_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "give %u page%s", *n, *n == 1 ? "" : "s");
}

KUNIT_ARRAY_PARAM(deep_give, deep_give_sizes, deep_give_desc);

/*
 * give() of @n pages, @o at TDH.EXT.MEM.ADD call @k, from the mock's
 * rules and the contract: windows before @k were given; a software error
 * without an interrupt took nothing of window @k; an interrupt took @take
 * entries of it; any other status took all of it.  Whatever failed, the
 * rest of the array is stranded, loudly: nothing is freed.
 */
static __init struct deep_books deep_give_books(unsigned int n, enum deep_outcome o,
					       unsigned int k, unsigned int take)
{
	unsigned int windows = DIV_ROUND_UP(n, 512);
	unsigned int before = 512 * (k - 1), size = min(n - before, 512U);
	struct deep_books b = { .ret = -EIO, .warnings = 1, .calls = k };

	switch (o) {
	case DEEP_NONE:
		return (struct deep_books){ .held = n, .calls = windows };
	case DEEP_SW:
		b.held = before;
		break;
	case DEEP_INTR_SW:
		b.held = before + take;
		b.calls = k + 1;
		break;
	case DEEP_INTR_BUSY:
		b.held = before + size;
		b.calls = k + 1;
		break;
	default:
		b.held = before + size;
		break;
	}
	b.freed = 0;
	return b;
}

static __init void deep_give_run(struct kunit *test, unsigned int n,
				 enum deep_outcome o, unsigned int k, bool *failed)
{
	unsigned int size = min(n - 512 * (k - 1), 512U), take = size / 2;
	struct deep_books b = deep_give_books(n, o, k, take);
	struct tdx_mock *m = test->priv;
	struct mock_fault faults[2];
	struct tdx_page_array *array;
	char where[96];
	int ret = 0;

	snprintf(where, sizeof(where), "give %u pages, %s at TDH.EXT.MEM.ADD call %u",
		 n, deep_outcome_name[o], k);
	deep_faults(faults, o, MOCK_EXT_MEM_ADD, k, take);

	array = test_array(test, n, false);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, array, "%s", where);
	mock_set_faults(m, faults, ARRAY_SIZE(faults));
	kunit_warning_suppress(test) {
		ret = tdx_page_array_give(array, TDH_EXT_MEM_ADD);
		KUNIT_EXPECT_EQ_MSG(test, KUNIT_SUPPRESSED_WARNING_COUNT(), b.warnings,
				    "warnings: %s", where);
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, b.ret, "return: %s", where);
	KUNIT_EXPECT_EQ_MSG(test, m->nr_held, b.held, "held: %s", where);
	KUNIT_EXPECT_EQ_MSG(test, test_freed(), b.freed, "freed: %s", where);
	KUNIT_EXPECT_EQ_MSG(test, m->calls[MOCK_EXT_MEM_ADD], b.calls, "calls: %s", where);

	/* Leaked pages the module never took, then the mock's checks. */
	kunit_release_action(test, test_free_leaked, m);
	deep_mock_reset(m);
	deep_note_failure(test, failed, where);
}

static const enum deep_outcome deep_give_outcomes[] = {
	DEEP_SW, DEEP_BUSY, DEEP_ENTROPY, DEEP_INVALID, DEEP_OTHER,
	DEEP_INTR_SW, DEEP_INTR_BUSY,
};

static __init void tdx_pa_deep_give(struct kunit *test)
{
	unsigned int n = *(const unsigned int *)test->param_value;
	unsigned int k, i, runs = 1;
	bool failed = false;

	deep_give_run(test, n, DEEP_NONE, 1, &failed);
	for (k = 1; k <= DIV_ROUND_UP(n, 512); k++)
		for (i = 0; i < ARRAY_SIZE(deep_give_outcomes); i++, runs++)
			deep_give_run(test, n, deep_give_outcomes[i], k, &failed);
	kunit_info(test, "%u runs, %lu runs of pages unmapped\n", runs, deep->unmaps);
}

/* Lend + take back: single arrays of 1 and 2 pages, IOMMU_MT of 0 and 1. */
struct deep_layout {
	bool iommu_mt;
	unsigned int nr;	/* pages, or IOMMU_MT table pages */
};

static const struct deep_layout deep_layouts[] = {
	{ .nr = 1 }, { .nr = 2 }, { .iommu_mt = true, .nr = 0 }, { .iommu_mt = true, .nr = 1 },
};

static void deep_layout_desc(const struct deep_layout *l, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s of %u pages",
		 l->iommu_mt ? "IOMMU_MT" : "single array", l->nr);
}

KUNIT_ARRAY_PARAM(deep_layout, deep_layouts, deep_layout_desc);

/* 4 KiB pages: IOMMU_MT adds two queues of two pages. */
static unsigned int deep_pages(const struct deep_layout *l)
{
	return l->iommu_mt ? 4 + l->nr : l->nr;
}

/*
 * The sequence: call 1 lends (SPDM.CREATE or IOMMU.SETUP), call 2 takes
 * back (SPDM.DELETE or IOMMU.CLEAR), calls 3.. write back page 1, 2, ...
 * The books after @o at call @idx, from the contract:
 *  - a lend that took nothing (software error, busy, no entropy, operand
 *    invalid on IOMMU.SETUP), without an interrupt before: the kernel's,
 *    with -ENODEV, -EBUSY, -EAGAIN, -ENXIO; anything else failing a lend
 *    leaks every page (-EIO, one warning), the module holding them all;
 *  - a release busy, interrupted before or not: -EBUSY, still the
 *    module's (the run then takes it back again); any other failure leaks the pages the
 *    module still holds; a wrong list (an HPA_ARRAY_T of 2 pages or more:
 *    a list to swap) or a wrong count (any HPA_ARRAY_T) leaks what the
 *    module released; IOMMU.CLEAR reports neither and is accepted;
 *  - a failed write-back leaks the released pages.
 */
static struct deep_books deep_lend_books(const struct deep_layout *l,
					 enum deep_outcome o, unsigned int idx)
{
	struct deep_books leak_held = { -EIO, TDX_PA_LEAKED, deep_pages(l), .warnings = 1 };
	struct deep_books leak_released = { -EIO, TDX_PA_LEAKED, 0, .warnings = 1 };
	struct deep_books kernel = { 0, TDX_PA_KERNEL, 0 };

	if (o == DEEP_NONE)
		return kernel;
	if (idx == 1) {
		switch (o) {
		case DEEP_SW:
			return (struct deep_books){ -ENODEV, TDX_PA_KERNEL, 0 };
		case DEEP_BUSY:
			return (struct deep_books){ -EBUSY, TDX_PA_KERNEL, 0 };
		case DEEP_ENTROPY:
			return (struct deep_books){ -EAGAIN, TDX_PA_KERNEL, 0 };
		case DEEP_INVALID:
			if (l->iommu_mt)
				return (struct deep_books){ -ENXIO, TDX_PA_KERNEL, 0 };
			return leak_held;
		default:
			return leak_held;
		}
	}
	if (idx == 2) {
		switch (o) {
		case DEEP_BUSY:
		case DEEP_INTR_BUSY:
			return kernel;	/* after the retry; -EBUSY checked before */
		case DEEP_WRONG_LIST:
			return !l->iommu_mt && l->nr >= 2 ? leak_released : kernel;
		case DEEP_WRONG_COUNT:
			return !l->iommu_mt ? leak_released : kernel;
		default:
			return leak_held;
		}
	}
	return leak_released;
}

static void deep_lend_run(struct kunit *test, const struct deep_layout *l,
			  enum deep_outcome o, unsigned int idx, bool *failed)
{
	enum mock_leaf leaf = idx == 1 ? (l->iommu_mt ? MOCK_IOMMU_SETUP : MOCK_SPDM_CREATE) :
			      idx == 2 ? (l->iommu_mt ? MOCK_IOMMU_CLEAR : MOCK_SPDM_DELETE) :
			      MOCK_WBINVD;
	struct deep_books b = deep_lend_books(l, o, idx);
	struct tdx_mock *m = test->priv;
	struct tdx_page_array *array;
	struct mock_fault faults[2];
	char where[112];
	int ret;

	snprintf(where, sizeof(where), "%s of %u pages, %s at call %u (%s)",
		 l->iommu_mt ? "IOMMU_MT" : "single array", l->nr, deep_outcome_name[o], idx,
		 idx == 1 ? "lend" : idx == 2 ? "release" : "write-back");
	deep_faults(faults, o, leaf, idx <= 2 ? 1 : idx - 2, 0);

	array = lend_array(test, l->iommu_mt, l->nr);
	mock_set_faults(m, faults, ARRAY_SIZE(faults));
	kunit_warning_suppress(test) {
		ret = lend(array, l->iommu_mt);
		if (!ret) {
			m->keyid = MOCK_KEYID;
			ret = take_back(array, l->iommu_mt);
		}
		if ((o == DEEP_BUSY || o == DEEP_INTR_BUSY) && idx == 2) {
			/* Busy on release: still the module's; the caller retries. */
			KUNIT_EXPECT_EQ_MSG(test, ret, -EBUSY, "busy release: %s", where);
			KUNIT_EXPECT_EQ_MSG(test, array->owner, TDX_PA_MODULE, "busy owner: %s", where);
			KUNIT_EXPECT_EQ_MSG(test, m->nr_held, deep_pages(l), "busy held: %s", where);
			ret = take_back(array, l->iommu_mt);
		}
		KUNIT_EXPECT_EQ_MSG(test, KUNIT_SUPPRESSED_WARNING_COUNT(), b.warnings,
				    "warnings: %s", where);
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, b.ret, "return: %s", where);
	KUNIT_EXPECT_EQ_MSG(test, array->owner, b.owner, "owner: %s", where);
	KUNIT_EXPECT_EQ_MSG(test, m->nr_held, b.held, "held: %s", where);

	kunit_release_action(test, test_free_array, array);
	deep_mock_reset(m);
	deep_note_failure(test, failed, where);
}

static const enum deep_outcome deep_lend_outcomes[] = {
	DEEP_SW, DEEP_BUSY, DEEP_ENTROPY, DEEP_INVALID, DEEP_OTHER,
	DEEP_INTR_SW, DEEP_INTR_BUSY,
};

static void tdx_pa_deep_lend(struct kunit *test)
{
	const struct deep_layout *l = test->param_value;
	unsigned int i, j, runs = 1;
	bool failed = false;

	deep_lend_run(test, l, DEEP_NONE, 1, &failed);
	for (i = 0; i < ARRAY_SIZE(deep_lend_outcomes); i++, runs += 2) {
		deep_lend_run(test, l, deep_lend_outcomes[i], 1, &failed);
		deep_lend_run(test, l, deep_lend_outcomes[i], 2, &failed);
	}
	deep_lend_run(test, l, DEEP_WRONG_LIST, 2, &failed);
	deep_lend_run(test, l, DEEP_WRONG_COUNT, 2, &failed);
	runs += 2;
	for (j = 1; j <= deep_pages(l); j++, runs++)
		deep_lend_run(test, l, DEEP_WBINVD, 2 + j, &failed);
	kunit_info(test, "%u runs, %lu runs of pages unmapped\n", runs, deep->unmaps);
}

/* --- (c) other answers to the series' assumptions, (d) reviewed rows ----- */

struct deep_row {
	const char *desc;
	bool iommu_mt;
	unsigned int nr;
	bool release;		/* lend, then take back with the faults */
	struct mock_fault faults[2];
	int ret;
	enum tdx_pa_owner owner;
	unsigned int held;
	int warnings;
};

static const struct deep_row deep_rows[] = {
	/* (c) */
	{
		.desc = "(c) DELETE, 2 pages, no list written, no count: core accepts, writes back, resets: the kernel's",
		.nr = 2, .release = true,
		.faults = { { .leaf = MOCK_SPDM_DELETE, .nth = 1, DEEP_ANSWER(MOCK_NO_LIST) } },
		.owner = TDX_PA_KERNEL,
	}, {
		.desc = "(c) DELETE, 512 pages, no list written, no count: core accepts: the kernel's",
		.nr = 512, .release = true,
		.faults = { { .leaf = MOCK_SPDM_DELETE, .nth = 1, DEEP_ANSWER(MOCK_NO_LIST) } },
		.owner = TDX_PA_KERNEL,
	}, {
		.desc = "(c) SETUP rejects operand 2 (RDX, the table): the core must leak: -EIO, loud",
		.iommu_mt = true, .nr = 1,
		.faults = { FAULT(IOMMU_SETUP, 1, TDX_OPERAND_INVALID | 2) },
		.ret = -EIO, .owner = TDX_PA_LEAKED, .held = 5, .warnings = 1,
	}, {
		.desc = "(c) SETUP rejects operand 0x40: the core must leak: -EIO, loud",
		.iommu_mt = true, .nr = 1,
		.faults = { FAULT(IOMMU_SETUP, 1, TDX_OPERAND_INVALID | 0x40) },
		.ret = -EIO, .owner = TDX_PA_LEAKED, .held = 5, .warnings = 1,
	}, {
		.desc = "(c) DELETE busy naming operand 1 (RCX), not the list: core returns -EBUSY, still the module's, silent",
		.nr = 3, .release = true,
		.faults = { FAULT(SPDM_DELETE, 1, TDX_OPERAND_BUSY | 1) },
		.ret = -EBUSY, .owner = TDX_PA_MODULE, .held = 3,
	}, {
		.desc = "(c) DELETE busy naming operand 0x90: core returns -EBUSY, still the module's, silent",
		.nr = 3, .release = true,
		.faults = { FAULT(SPDM_DELETE, 1, TDX_OPERAND_BUSY | 0x90) },
		.ret = -EBUSY, .owner = TDX_PA_MODULE, .held = 3,
	},
	/* (d) */
	{
		.desc = "(d) GP fault alone on IOMMU.SETUP: took nothing: -ENODEV, the kernel's, silent",
		.iommu_mt = true, .nr = 2,
		.faults = { FAULT(IOMMU_SETUP, 1, TDX_SEAMCALL_GP) },
		.ret = -ENODEV, .owner = TDX_PA_KERNEL,
	}, {
		.desc = "(d) GP fault alone on a one-page SPDM.CREATE: took nothing: -ENODEV, the kernel's, silent",
		.nr = 1, .faults = { FAULT(SPDM_CREATE, 1, TDX_SEAMCALL_GP) },
		.ret = -ENODEV, .owner = TDX_PA_KERNEL,
	}, {
		.desc = "(d) entropy exhausted on IOMMU.SETUP: took nothing: -EAGAIN, the kernel's, silent",
		.iommu_mt = true, .nr = 2,
		.faults = { FAULT(IOMMU_SETUP, 1, TDX_RND_NO_ENTROPY) },
		.ret = -EAGAIN, .owner = TDX_PA_KERNEL,
	}, {
		.desc = "(d) entropy exhausted on a one-page SPDM.CREATE: took nothing: -EAGAIN, the kernel's, silent",
		.nr = 1, .faults = { FAULT(SPDM_CREATE, 1, TDX_RND_NO_ENTROPY) },
		.ret = -EAGAIN, .owner = TDX_PA_KERNEL,
	}, {
		.desc = "(d) one-page SPDM.CREATE, module error: leaked (-EIO), the module holds it, one warning",
		.nr = 1, .faults = { FAULT(SPDM_CREATE, 1, TDX_PAGE_METADATA_INCORRECT) },
		.ret = -EIO, .owner = TDX_PA_LEAKED, .held = 1, .warnings = 1,
	},
};

KUNIT_ARRAY_PARAM_DESC(deep_row, deep_rows, desc);

static void tdx_pa_deep_rows(struct kunit *test)
{
	const struct deep_row *p = test->param_value;
	struct tdx_page_array *array = lend_array(test, p->iommu_mt, p->nr);
	struct tdx_mock *m = test->priv;
	unsigned int i;
	int ret;

	if (p->release) {
		KUNIT_ASSERT_EQ(test, lend(array, p->iommu_mt), 0);
		/* (a) lent: out of the direct map */
		for (i = 0; i < array->nr; i++)
			KUNIT_EXPECT_FALSE(test, kernel_page_present(array->pages[i]));
		m->keyid = MOCK_KEYID;
	}
	mock_set_faults(m, p->faults, ARRAY_SIZE(p->faults));
	kunit_warning_suppress(test) {
		ret = p->release ? take_back(array, p->iommu_mt) : lend(array, p->iommu_mt);
		KUNIT_EXPECT_SUPPRESSED_WARNING_COUNT(test, p->warnings);
	}
	KUNIT_EXPECT_EQ(test, ret, p->ret);
	KUNIT_EXPECT_EQ(test, array->owner, p->owner);
	KUNIT_EXPECT_EQ(test, m->nr_held, p->held);
	for (i = 0; i < array->nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, kernel_page_present(array->pages[i]), !m->nr_held,
				    "page %u in the direct map", i);
}

/* --- (d) the parallel case ------------------------------------------------ */

#define DEEP_WORKERS		4
#define DEEP_ROUNDS		32
#define DEEP_WAIT_S		40

/*
 * One round: an array of its own (IOMMU_MT or single, 1 to 3 pages), lent,
 * taken back (busy once every fourth round: taken back again), freed; the
 * worker's mock checked and reset.
 */
static void deep_worker_round(struct kunit *test, struct deep_worker *w,
			      unsigned int r)
{
	bool iommu_mt = (w->id + r) % 2;
	unsigned int nr = 1 + (w->id + r) % 3, tries = 0;
	enum mock_leaf release = iommu_mt ? MOCK_IOMMU_CLEAR : MOCK_SPDM_DELETE;
	struct tdx_mock *m = w->m;
	struct tdx_page_array *array;
	u64 id = 0;
	int ret;

	m->spdm_mt_pages = nr;
	m->iommu_mt_pages = nr;
	m->keyid = tdx_global_keyid;
	if (r % 4 == 3)
		m->faults[0] = (struct mock_fault){ .leaf = release, .nth = 1,
						    .status = TDX_OPERAND_BUSY | 1 };
	array = iommu_mt ? tdx_page_array_alloc_iommu_mt() : tdx_page_array_alloc_spdm_mt();
	if (IS_ERR(array)) {
		w->errors++;
		goto reset;
	}
	ret = iommu_mt ? tdx_iommu_setup(0xfed90000 + w->id * 0x1000, array, &id) :
			 tdx_spdm_session_create(w->id, array, &id);
	if (ret || id != MOCK_ID) {
		w->errors++;
	} else {
		while ((ret = iommu_mt ? tdx_iommu_clear(id, array) :
					 tdx_spdm_session_delete(id, array)) == -EBUSY &&
		       ++tries < 3)
			w->busy++;
		if (ret || array->owner != TDX_PA_KERNEL || m->nr_held)
			w->errors++;
	}
	if (array->owner == TDX_PA_MODULE)
		array->owner = TDX_PA_LEAKED;
	tdx_page_array_free(array);
reset:
	deep_mock_reset(m);
}

static int deep_worker_fn(void *data)
{
	struct deep_worker *w = data;
	struct kunit *test = w->m->test;
	struct kunit_suppressed_warning *sw;
	unsigned int r;

	current->kunit_test = test;
	sw = kunit_start_suppress_warning(test);
	for (r = 0; r < DEEP_ROUNDS && !READ_ONCE(deep->stop); r++, w->rounds++)
		deep_worker_round(test, w, r);
	w->warnings = kunit_suppressed_warning_count(sw);
	kunit_end_suppress_warning(test, sw);
	current->kunit_test = NULL;
	complete(&w->done);

	/* The case stops every worker: wait for it. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void tdx_pa_deep_parallel(struct kunit *test)
{
	unsigned long deadline = jiffies + DEEP_WAIT_S * HZ;
	struct deep_worker *w;
	unsigned int i, created = 0, busy = 0;
	bool timed_out = false;

	set_tdx_connect(test);
	w = kunit_kcalloc(test, DEEP_WORKERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < DEEP_WORKERS; i++) {
		w[i].id = i;
		init_completion(&w[i].done);
		w[i].m = kunit_kzalloc(test, sizeof(*w[i].m), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w[i].m);
		w[i].m->test = test;
		xa_init(&w[i].m->pages);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, deep_mock_exit, w[i].m), 0);
	}
	for (i = 0; i < DEEP_ROUNDS; i++)
		busy += i % 4 == 3;

	mutex_lock(&deep->lock);
	deep->workers = w;
	deep->nr_workers = DEEP_WORKERS;
	mutex_unlock(&deep->lock);
	for (i = 0; i < DEEP_WORKERS; i++, created++) {
		w[i].task = kthread_create(deep_worker_fn, &w[i], "tdx_pa_deep/%u", i);
		if (IS_ERR(w[i].task))
			break;
		get_task_struct(w[i].task);
	}
	KUNIT_EXPECT_EQ(test, created, DEEP_WORKERS);
	for (i = 0; i < created; i++)
		wake_up_process(w[i].task);

	/* A bounded wait; past it, the workers stop after their round. */
	for (i = 0; i < created; i++) {
		long left = max_t(long, (long)(deadline - jiffies), 1);

		if (!wait_for_completion_timeout(&w[i].done, left))
			timed_out = true;
	}
	if (timed_out)
		WRITE_ONCE(deep->stop, true);
	for (i = 0; i < created; i++) {
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}
	mutex_lock(&deep->lock);
	deep->workers = NULL;
	mutex_unlock(&deep->lock);

	KUNIT_EXPECT_FALSE_MSG(test, timed_out, "workers not done after %d s", DEEP_WAIT_S);
	for (i = 0; i < created; i++) {
		KUNIT_EXPECT_EQ_MSG(test, w[i].rounds, DEEP_ROUNDS, "worker %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0, "worker %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w[i].busy, busy, "worker %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w[i].warnings, 0, "worker %u", i);
	}
	kunit_info(test, "%u workers x %u rounds, %lu runs of pages unmapped\n",
		   created, DEEP_ROUNDS, deep->unmaps);
}

static struct kunit_case __refdata tdx_deep_give_cases[] = {
	KUNIT_CASE_PARAM(tdx_pa_deep_give, deep_give_gen_params),
	{}
};

static struct kunit_suite __refdata tdx_deep_give_suite = {
	.name		= "tdx_page_array_deep_give",
	.init		= deep_init,
	.test_cases	= tdx_deep_give_cases,
};

kunit_test_init_section_suites(&tdx_deep_give_suite);

static struct kunit_case tdx_deep_cases[] = {
	KUNIT_CASE_PARAM(tdx_pa_deep_lend, deep_layout_gen_params),
	KUNIT_CASE_PARAM(tdx_pa_deep_rows, deep_row_gen_params),
	KUNIT_CASE(tdx_pa_deep_parallel),
	{}
};

static struct kunit_suite tdx_deep_suite = {
	.name		= "tdx_page_array_deep",
	.init		= deep_init,
	.test_cases	= tdx_deep_cases,
};

kunit_test_suite(tdx_deep_suite);
