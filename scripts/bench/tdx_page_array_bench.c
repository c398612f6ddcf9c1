// SPDX-License-Identifier: GPL-2.0-only
/*
 * tdx_page_array against the bare page allocator.
 *
 * Not part of the series: "make bench" includes this file at the end of
 * tdx.c in its own worktree (scripts/bench.sh), so that it reaches the
 * core's static functions and the two seams the KUnit suite uses, and
 * nothing else.  The TDX module is a static stub behind tdx_pa_seamcall()
 * that frees the pages it is given, inside the timed region; the cache-op
 * seam is a stub that does nothing, called once per 512-entry window.
 *
 * Every measurement is one "tdx_pa_bench:" line in the kernel log;
 * scripts/bench.py turns them into the table.  Under QEMU TCG the times
 * say nothing about hardware: only the ratios within one run are read.
 */

#include <kunit/test.h>
#include <kunit/static_stub.h>
#include <linux/ktime.h>
#include <linux/sort.h>

#define BENCH_PAIRS	41	/* odd: the median is one pair */
#define BENCH_PHASES	15	/* runs of the phase breakdown */
#define BENCH_CALLS	1000	/* stub calls timed together */
#define BENCH_MAX_NR	12800	/* pages of the largest run */
#define BENCH_ROUNDS	15	/* runs of each kind a pair takes the median of */

static const unsigned int bench_sizes[] = { 512, 4096, 12800 };

struct bench {
	struct page **pages;		/* the baseline's pointer array */
	struct tdx_pa_call call;	/* the call give() and the phases make */
	u64 lent[TDX_PA_ROOT_ENTRIES];	/* the list the module was lent */
	u64 lent_desc;
	long module_pages;		/* the gauge before the case */
	unsigned int calls;		/* SEAMCALLs the module took */
	unsigned int fail_at;		/* the call the module refuses, 1-based */
};

static struct bench *bench_of(void)
{
	return kunit_get_current_test()->priv;
}

/* Give the pages of an HPA_LIST_INFO to the page allocator. */
static void bench_free_list(u64 hpa_list_info)
{
	u64 *root = pfn_to_kaddr(FIELD_GET(HPA_LIST_INFO_PFN, hpa_list_info));
	unsigned int i, last = FIELD_GET(HPA_LIST_INFO_LAST_ENTRY, hpa_list_info);

	for (i = 0; i <= last; i++)
		__free_page(pfn_to_page(PHYS_PFN(root[i])));
}

/*
 * The trivial TDX module: EXT.MEM.ADD frees what it is given; SPDM.CREATE
 * keeps a copy of the list it is lent and SPDM.DELETE writes it back;
 * everything else (WBINVD) succeeds.  A refused call is a software error,
 * so the module took nothing.
 */
static u64 bench_module(u64 fn, struct tdx_module_args *args)
{
	struct bench *b = bench_of();
	u64 size;

	if (++b->calls == b->fail_at)
		return TDX_SEAMCALL_VMFAILINVALID;

	switch (fn) {
	case TDH_EXT_MEM_ADD:
		bench_free_list(args->rcx);
		break;
	case TDH_SPDM_CREATE:
		b->lent_desc = args->rdx;
		size = FIELD_GET(HPA_ARRAY_T_SIZE, args->rdx);
		if (size)
			memcpy(b->lent, __va(args->rdx & HPA_ARRAY_T_PFN),
			       (size + 1) * sizeof(u64));
		break;
	case TDH_SPDM_DELETE:
		size = FIELD_GET(HPA_ARRAY_T_SIZE, b->lent_desc);
		if (size)
			memcpy(__va(args->rdx), b->lent, (size + 1) * sizeof(u64));
		args->rcx = b->lent_desc;
		break;
	}

	return TDX_SUCCESS;
}

static void bench_cache_op(struct tdx_page_array *array, unsigned int first,
			   unsigned int nr, enum tdx_pa_cache_op op)
{
}

static int bench_init(struct kunit *test)
{
	struct bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	b->pages = kunit_kcalloc(test, BENCH_MAX_NR, sizeof(*b->pages),
				 GFP_KERNEL);
	if (!b->pages)
		return -ENOMEM;

	b->call.fn = TDH_EXT_MEM_ADD;
	b->call.desc = TDX_PA_REG(rcx);
	b->module_pages = atomic_long_read(&tdx_pa_module_pages);
	test->priv = b;
	kunit_activate_static_stub(test, tdx_pa_seamcall, bench_module);
	kunit_activate_static_stub(test, tdx_pa_cache_op, bench_cache_op);
	return 0;
}

/* Given pages never come back: take them off the gauge again. */
static void bench_exit(struct kunit *test)
{
	struct bench *b = test->priv;

	atomic_long_set(&tdx_pa_module_pages, b->module_pages);
}

/* The baseline: @nr order-0 pages from the bulk allocator, then freed. */
static int bench_base(struct bench *b, unsigned int nr, u64 *ns)
{
	unsigned long filled = 0, got;
	u64 start = ktime_get_ns();
	unsigned int i;

	while (filled < nr) {
		got = alloc_pages_bulk(GFP_KERNEL, nr, b->pages);
		if (got == filled)
			break;
		filled = got;
	}
	for (i = 0; i < filled; i++) {
		__free_page(b->pages[i]);
		b->pages[i] = NULL;
	}

	*ns = ktime_get_ns() - start;
	return filled == nr ? 0 : -ENOMEM;
}

/* The single layout's pages in the give() format, as v3's single layout. */
static const struct tdx_page_array_ops bench_single_ops = {
	.fmt	= &tdx_pa_hpa_list_info,
	.alloc	= tdx_pa_alloc_pages,
	.free	= tdx_pa_free_pages,
};

static struct tdx_page_array *bench_alloc(const struct tdx_page_array_ops *ops,
					  unsigned int nr)
{
	if (ops == &tdx_pa_contig_ops)
		return tdx_page_array_alloc_contig(nr);

	return tdx_page_array_alloc(ops, nr, GFP_KERNEL, NUMA_NO_NODE, 0);
}

/* Create, give (the module frees the pages), free the metadata. */
static int bench_give(struct bench *b, const struct tdx_page_array_ops *ops,
		      unsigned int nr, u64 *ns)
{
	struct tdx_pa_call call = { .fn = TDH_EXT_MEM_ADD, .desc = TDX_PA_REG(rcx) };
	u64 start = ktime_get_ns();
	struct tdx_page_array *array;
	int ret;

	array = bench_alloc(ops, nr);
	if (IS_ERR(array))
		return PTR_ERR(array);
	ret = tdx_page_array_give(array, &call);
	tdx_page_array_free(array);

	*ns = ktime_get_ns() - start;
	return ret;
}

/* Create, lend, take back (one WBINVD per page), free. */
static int bench_lend(struct bench *b, const struct tdx_page_array_ops *ops,
		      unsigned int nr, u64 *ns)
{
	u64 start = ktime_get_ns(), id;
	struct tdx_page_array *array;
	int ret;

	array = tdx_page_array_alloc_single(nr, GFP_KERNEL);
	if (IS_ERR(array))
		return PTR_ERR(array);
	ret = tdx_spdm_session_create(0, array, &id);
	if (!ret)
		ret = tdx_spdm_session_delete(id, array);
	tdx_page_array_free(array);

	*ns = ktime_get_ns() - start;
	return ret;
}

/* The baseline inside what the helper adds first: metadata and root page. */
static int bench_base_meta(struct bench *b, const struct tdx_page_array_ops *ops,
			   unsigned int nr, u64 *ns)
{
	u64 start = ktime_get_ns(), base;
	struct tdx_page_array *array;
	unsigned long root;
	int ret = -ENOMEM;

	array = kvzalloc(struct_size(array, pages, nr), GFP_KERNEL);
	root = get_zeroed_page(GFP_KERNEL);
	if (array && root)
		ret = bench_base(b, nr, &base);
	free_page(root);
	kvfree(array);

	*ns = ktime_get_ns() - start;
	return ret;
}

struct bench_case {
	const char *name;
	const struct tdx_page_array_ops *ops;
	int (*run)(struct bench *b, const struct tdx_page_array_ops *ops,
		   unsigned int nr, u64 *ns);
	unsigned int max_nr;
};

static const struct bench_case bench_cases[] = {
	{ "single",	&bench_single_ops,  bench_give, BENCH_MAX_NR },
	{ "meta+root",	NULL,		    bench_base_meta, BENCH_MAX_NR },
	{ "contig",	&tdx_pa_contig_ops, bench_give, BENCH_MAX_NR },
	{ "hpa_array_t", &tdx_pa_single_ops, bench_lend, TDX_PA_ROOT_ENTRIES },
};

static int bench_cmp(const void *a, const void *b)
{
	return *(const u64 *)a < *(const u64 *)b ? -1 : *(const u64 *)a > *(const u64 *)b;
}

static u64 bench_median(u64 *ns, unsigned int n)
{
	sort(ns, n, sizeof(*ns), bench_cmp, NULL);
	return ns[n / 2];
}

/*
 * @pairs pairs, each of BENCH_ROUNDS rounds of baseline, helper, baseline;
 * a pair is the median run of each of the three, so that an interrupt or a
 * host stall in one run does not make the pair.  Helper over the first
 * baseline is the pair's ratio, the second baseline over the first the
 * A/A ratio of the noise floor.  A pair with a failed run is printed as
 * failed and counted.
 * Return: the failed pairs.
 */
static unsigned int bench_pairs(struct bench *b, const struct bench_case *c,
				unsigned int nr, unsigned int pairs)
{
	unsigned int i, r, failed = 0;
	u64 ns[3][BENCH_ROUNDS];
	int ret = 0;

	for (i = 0; i <= pairs; i++) {	/* pair 0 warms up */
		for (r = 0; r < BENCH_ROUNDS && !ret; r++) {
			ret = bench_base(b, nr, &ns[0][r]);
			ret = ret ?: c->run(b, c->ops, nr, &ns[1][r]);
			ret = ret ?: bench_base(b, nr, &ns[2][r]);
		}
		if (ret) {
			pr_info("tdx_pa_bench: failed %s %u %u %d\n", c->name, nr, i, ret);
			failed++;
			ret = 0;
		} else if (i) {
			pr_info("tdx_pa_bench: pair %s %u %u %llu %llu %llu\n", c->name,
				nr, i, bench_median(ns[0], BENCH_ROUNDS),
				bench_median(ns[1], BENCH_ROUNDS),
				bench_median(ns[2], BENCH_ROUNDS));
		}
	}

	return failed;
}

static void tdx_pa_bench_pairs(struct kunit *test)
{
	const struct bench_case *c;
	unsigned int i;

	for (c = bench_cases; c < bench_cases + ARRAY_SIZE(bench_cases); c++)
		for (i = 0; i < ARRAY_SIZE(bench_sizes); i++)
			if (bench_sizes[i] <= c->max_nr)
				KUNIT_EXPECT_EQ_MSG(test, bench_pairs(test->priv, c,
						    bench_sizes[i], BENCH_PAIRS), 0,
						    "%s, %u pages", c->name, bench_sizes[i]);
}

/* The failed-run check can fail: a module that refuses one give(). */
static void tdx_pa_bench_failed_run(struct kunit *test)
{
	struct bench *b = test->priv;
	long leaked = atomic_long_read(&tdx_pa_leaked_pages);
	struct bench_case refused = bench_cases[0];

	refused.name = "refused";

	/* Two windows a give(): pair 2's first give() has its second refused. */
	b->fail_at = 2 * BENCH_ROUNDS * 2 + 2;
	KUNIT_EXPECT_EQ(test, bench_pairs(b, &refused, 1024, 3), 1);
	KUNIT_EXPECT_EQ(test, b->calls, 2 * BENCH_ROUNDS * 3 + 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&tdx_pa_leaked_pages), leaked);
}

/*
 * give() of the single layout in its steps, each timed: "SEAMCALL" is the
 * seam with the module freeing the pages, "owner" tdx_pa_set_owner().
 */
static int bench_phases(struct bench *b, unsigned int nr)
{
	const struct tdx_page_array_ops *ops = &bench_single_ops;
	u64 t[8], ns[7] = {}, start = ktime_get_ns();
	struct tdx_page_array *array;
	unsigned int i, w;

	array = kvzalloc(struct_size(array, pages, nr), GFP_KERNEL);
	if (!array)
		return -ENOMEM;
	array->ops = ops;
	array->nr = nr;
	t[0] = ktime_get_ns();
	array->root = (u64 *)get_zeroed_page(GFP_KERNEL);
	t[1] = ktime_get_ns();
	if (!array->root || ops->alloc(array, GFP_KERNEL, NUMA_NO_NODE)) {
		for (i = 0; i < nr && array->pages[i]; i++)
			__free_page(array->pages[i]);
		free_page((unsigned long)array->root);
		kvfree(array);
		return -ENOMEM;
	}
	t[2] = ktime_get_ns();
	ns[0] = t[0] - start;		/* metadata, with its kvfree below */
	ns[1] = t[1] - t[0];		/* root page, with its free below */
	ns[2] = t[2] - t[1];		/* allocation */

	/* As give() does it, window by window. */
	for (i = 0; i < nr; i += w) {
		w = min(nr - i, TDX_PA_ROOT_ENTRIES);
		t[3] = ktime_get_ns();
		tdx_pa_populate(array, i, w);
		t[4] = ktime_get_ns();
		tdx_pa_cache_op(array, i, w, TDX_PA_FLUSH);
		t[5] = ktime_get_ns();
		tdx_pa_issue(&b->call, ops->fmt->encode(array, w), true);
		t[6] = ktime_get_ns();
		tdx_pa_set_owner(array, i, w, TDX_PA_GIVEN);
		t[7] = ktime_get_ns();
		ns[3] += t[4] - t[3];	/* populate */
		ns[4] += t[5] - t[4];	/* cache-op stub */
		ns[5] += t[6] - t[5];	/* SEAMCALL stub: the module frees */
		ns[6] += t[7] - t[6];	/* owner */
	}

	t[1] = ktime_get_ns();
	free_page((unsigned long)array->root);
	t[2] = ktime_get_ns();
	kvfree(array);
	t[3] = ktime_get_ns();

	pr_info("tdx_pa_bench: phases single %u %llu %llu %llu %llu %llu %llu %llu %llu\n",
		nr, ns[0] + t[3] - t[2], ns[1] + t[2] - t[1], ns[2], ns[3], ns[4],
		ns[5], ns[6], t[3] - start);
	return 0;
}

static void tdx_pa_bench_phases(struct kunit *test)
{
	unsigned int i, run;

	for (i = 0; i < ARRAY_SIZE(bench_sizes); i++)
		for (run = 0; run < BENCH_PHASES; run++)
			KUNIT_EXPECT_EQ(test, bench_phases(test->priv, bench_sizes[i]), 0);
}

/* What the stubs cost per call, CLFLUSH per page, metadata per array. */
static void tdx_pa_bench_costs(struct kunit *test)
{
	struct tdx_module_args args = {};
	struct tdx_page_array *array;
	unsigned int i, run;
	u64 start, ns;

	array = tdx_page_array_alloc_single(TDX_PA_ROOT_ENTRIES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, array);

	for (run = 0; run < BENCH_PHASES; run++) {
		start = ktime_get_ns();
		for (i = 0; i < BENCH_CALLS; i++)
			tdx_pa_seamcall(0, &args);
		ns = ktime_get_ns() - start;
		start = ktime_get_ns();
		for (i = 0; i < BENCH_CALLS; i++)
			tdx_pa_cache_op(array, 0, array->nr, TDX_PA_FLUSH);
		pr_info("tdx_pa_bench: stubs %llu %llu\n", ns / BENCH_CALLS,
			(ktime_get_ns() - start) / BENCH_CALLS);
	}

	kunit_deactivate_static_stub(test, tdx_pa_cache_op);
	for (run = 0; run < BENCH_PHASES; run++) {
		start = ktime_get_ns();
		tdx_pa_cache_op(array, 0, array->nr, TDX_PA_FLUSH);
		pr_info("tdx_pa_bench: clflush %u %llu\n", array->nr,
			ktime_get_ns() - start);
	}
	tdx_page_array_free(array);

	pr_info("tdx_pa_bench: metadata %zu %zu %lu\n", sizeof(*array),
		sizeof(array->pages[0]), PAGE_SIZE);
}

static struct kunit_case tdx_pa_bench_cases[] = {
	KUNIT_CASE(tdx_pa_bench_failed_run),
	KUNIT_CASE(tdx_pa_bench_costs),
	KUNIT_CASE(tdx_pa_bench_phases),
	KUNIT_CASE(tdx_pa_bench_pairs),
	{}
};

static struct kunit_suite tdx_page_array_bench_suite = {
	.name = "tdx_page_array_bench",
	.init = bench_init,
	.exit = bench_exit,
	.test_cases = tdx_pa_bench_cases,
};
kunit_test_suite(tdx_page_array_bench_suite);
