// SPDX-License-Identifier: GPL-2.0
/* The mutant generator's selftest: every line counts as added. */
#include <linux/types.h>

#define FX_MAX		8
#define FX_MASK		GENMASK(3, 0)

struct fx_ops {
	int (*get)(int v);
	bool strict;
};

static int fx_get(int v);

static const struct fx_ops fx_ops = {
	.get	= fx_get,
	.strict	= true,
};

/**
 * fx_get() - kernel-doc is left alone
 * @v: a value with 42 in the comment
 */
static int fx_get(int v)
{
	int i, sum = 0;
	bool seen = false;

	BUILD_BUG_ON(FX_MAX < 1);
	BUILD_BUG_ON(FX_MAX > 16);

	if (v < 0 || v == FX_MAX)
		return -EINVAL;

	for (i = 0; i < v; i++) {
		if (i > 4)
			break;
		sum += i;
	}
	pr_err("sum %d of %d\n",
	       sum, 3);
	seen = fx_check(sum,
			v);
	if (!seen)
		return sum;
	return 0;
}

static bool fx_ok(int v)
{
	return v >= 2;
}

/*
 * What mutate.py must make of the lines above, no more, no less:
 * expect: 5 const: #define FX_MAX		8 -> #define FX_MAX		9
 * expect: 6 const: #define FX_MASK		GENMASK(3, 0) -> #define FX_MASK		GENMASK(4, 0)
 * expect: 6 const: #define FX_MASK		GENMASK(3, 0) -> #define FX_MASK		GENMASK(3, 1)
 * expect: 16 drop: .get	= fx_get, -> (nothing)
 * expect: 17 drop: .strict	= true, -> (nothing)
 * expect: 17 const: .strict	= true, -> .strict	= false,
 * expect: 26 const: int i, sum = 0; -> int i, sum = 1;
 * expect: 27 const: bool seen = false; -> bool seen = true;
 * expect: 32 negate: if (v < 0 || v == FX_MAX) -> if (!(v < 0 || v == FX_MAX))
 * expect: 32 bound: if (v < 0 || v == FX_MAX) -> if (v <= 0 || v == FX_MAX)
 * expect: 32 cmp: if (v < 0 || v == FX_MAX) -> if (v >= 0 || v == FX_MAX)
 * expect: 32 const: if (v < 0 || v == FX_MAX) -> if (v < 1 || v == FX_MAX)
 * expect: 32 logic: if (v < 0 || v == FX_MAX) -> if (v < 0 && v == FX_MAX)
 * expect: 32 cmp: if (v < 0 || v == FX_MAX) -> if (v < 0 || v != FX_MAX)
 * expect: 33 return: return -EINVAL; -> return 0;
 * expect: 35 const: for (i = 0; i < v; i++) { -> for (i = 1; i < v; i++) {
 * expect: 35 bound: for (i = 0; i < v; i++) { -> for (i = 0; i <= v; i++) {
 * expect: 35 cmp: for (i = 0; i < v; i++) { -> for (i = 0; i >= v; i++) {
 * expect: 36 negate: if (i > 4) -> if (!(i > 4))
 * expect: 36 bound: if (i > 4) -> if (i >= 4)
 * expect: 36 cmp: if (i > 4) -> if (i <= 4)
 * expect: 36 const: if (i > 4) -> if (i > 5)
 * expect: 37 jump: break; -> continue;
 * expect: 38 drop: sum += i; -> ;
 * expect: 42 drop: seen = fx_check(sum, v); -> ;
 * expect: 44 negate: if (!seen) -> if (!(!seen))
 * expect: 45 return: return sum; -> return 0;
 * expect: 46 return: return 0; -> return -EIO;
 * expect: 51 return: return v >= 2; -> return !(v >= 2);
 * expect: 51 bound: return v >= 2; -> return v > 2;
 * expect: 51 cmp: return v >= 2; -> return v < 2;
 * expect: 51 const: return v >= 2; -> return v >= 3;
 */

/* Behind a test seam: what the stub stands in for is left alone. */
static int fx_hw(int v)
{
	KUNIT_STATIC_STUB_REDIRECT(fx_hw, v);

	if (v > 1)
		return fx_get(v);
	return 0;
}

// expect: 104 return: return v + 1; -> return 0;
// expect: 104 const: return v + 1; -> return v + 2;
static int fx_after(int v)
{
	return v + 1;
}
