/* SPDX-License-Identifier: MIT */
/* Umbrella header: everything a host program needs. */
#ifndef TDXSIM_TDXSIM_H
#define TDXSIM_TDXSIM_H
#include "tdxsim/abi.h"
#include "tdxsim/abi_names.h"
#include "tdxsim/inject.h"
#include "tdxsim/platform.h"
#include "tdxsim/seamcall.h"
#endif
