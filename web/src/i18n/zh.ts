/** 简体中文，按功能拆分（i18n/zh/*.ts）：与 i18n/en.ts 键完全一致（各部分的类型由英文部分给出，编译器检查）。 */
import type { Messages } from "./en";
import { common } from "./zh/common";
import { errors } from "./zh/errors";
import { supplier } from "./zh/supplier";
import { buyer } from "./zh/buyer";
import { bank } from "./zh/bank";
import { regulator } from "./zh/regulator";
import { simulations } from "./zh/simulations";

export const zh: Messages = { ...common, ...errors, ...supplier, ...buyer, ...bank, ...regulator, ...simulations };
