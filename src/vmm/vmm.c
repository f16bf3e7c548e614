/* SPDX-License-Identifier: MIT */
/* The TD manager's global state: HKIDs, tdx_lock; and the VM helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm_internal.h"
#include "host/page_alloc.h"
#include "tdxsim/abi_names.h"

struct vmm *vmm_create(struct host *h)
{
	struct vmm *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->h = h;
	v->hkid_start = h->guest_keyid_start;
	v->nr_hkids = h->nr_guest_keyids;
	v->hkid_used = calloc(v->nr_hkids ? v->nr_hkids : 1, 1);
	if (!v->hkid_used) {
		free(v);
		return NULL;
	}
	pthread_mutex_init(&v->tdx_lock, NULL);
	pthread_mutex_init(&v->hkid_lock, NULL);
	return v;
}

void vmm_destroy(struct vmm *v)
{
	if (!v)
		return;
	pthread_mutex_destroy(&v->tdx_lock);
	pthread_mutex_destroy(&v->hkid_lock);
	free(v->hkid_used);
	free(v);
}

unsigned vmm_hkids_in_use(const struct vmm *v)
{
	return v->hkids_in_use;
}

int vmm_hkid_alloc(struct vmm *v, uint16_t *hkid)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&v->hkid_lock);
	for (uint32_t i = 0; i < v->nr_hkids; i++) {
		if (!v->hkid_used[i]) {
			v->hkid_used[i] = 1;
			v->hkids_in_use++;
			*hkid = (uint16_t)(v->hkid_start + i);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&v->hkid_lock);
	return ret;
}

void vmm_hkid_free(struct vmm *v, uint16_t hkid)
{
	pthread_mutex_lock(&v->hkid_lock);
	if (hkid >= v->hkid_start && hkid - v->hkid_start < v->nr_hkids &&
	    v->hkid_used[hkid - v->hkid_start]) {
		v->hkid_used[hkid - v->hkid_start] = 0;
		v->hkids_in_use--;
	}
	pthread_mutex_unlock(&v->hkid_lock);
}

int vm_fail(struct vm *vm, int err, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->err_lock);
	va_start(ap, fmt);
	vsnprintf(vm->err, sizeof(vm->err), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&vm->err_lock);
	return err;
}

int vm_bug(struct vm *vm, uint64_t leaf, uint64_t status,
	   const struct tdx_module_args *out)
{
	char msg[sizeof(vm->err)];

	atomic_store(&vm->bugged, true);
	snprintf(msg, sizeof(msg),
		 "SEAMCALL %s failed: 0x%016llx, entry 0x%016llx, level_state 0x%llx",
		 tdx_leaf_name(leaf), (unsigned long long)status,
		 (unsigned long long)out->rcx, (unsigned long long)out->rdx);
	host_log(vm->h, "kvm_intel: ", "%s", msg);
	return vm_fail(vm, -EIO, "%s", msg);
}

uint64_t vm_seamcall(struct vm *vm, uint64_t leaf, struct tdx_module_args *a)
{
	return host_sc_retry(vm->h, leaf, a);
}

int vm_alloc_page(struct vm *vm, uint64_t *pa)
{
	int ret = host_alloc_td_pages(vm->h, 0, VMM_PAGE, pa);

	if (!ret)
		atomic_fetch_add(&vm->pages_held, 1);
	return ret;
}

void vm_free_page(struct vm *vm, uint64_t pa)
{
	page_alloc_free(vm->h->pages, pa, VMM_PAGE);
	atomic_fetch_sub(&vm->pages_held, 1);
}

void vm_reset_page(struct vm *vm, uint64_t pa)
{
	platform_mem_reset_lines(vm->h->p, pa, VMM_PAGE);
}

int vm_on_package(struct vm *vm, unsigned pkg, int (*fn)(void *), void *arg)
{
	for (unsigned lp = 0; lp < platform_nr_lps(vm->h->p); lp++)
		if (platform_lp_package(vm->h->p, lp) == pkg &&
		    platform_lp_online(vm->h->p, lp))
			return platform_on_lp(vm->h->p, lp, fn, arg);
	return -EIO;
}

enum vm_state vm_state(const struct vm *vm) { return vm->state; }
bool vm_bugged(const struct vm *vm) { return atomic_load(&vm->bugged); }
const char *vm_error(const struct vm *vm) { return vm->err; }
uint16_t vm_hkid(const struct vm *vm) { return vm->hkid; }
uint64_t vm_tdr(const struct vm *vm) { return vm->tdr; }
uint64_t vm_pages_held(const struct vm *vm) { return atomic_load(&vm->pages_held); }
