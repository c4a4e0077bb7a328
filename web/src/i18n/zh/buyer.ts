/** 核心企业门户。 */
import type { buyer as en } from "../en/buyer";
import type { Strings } from "../strings";

export const buyer: Strings<typeof en> = {
  buyer: {
    queue: {
      title: "待确权",
      subtitle: "供应商向您开具的发票。确权后即成为可融资的应收账款。",
      waiting: "待您处理",
      confirmedOutstanding: "已确权未付",
      capLeft: "剩余确权额度",
      capNote: "上限 {cap}",
      tenor: "期限",
      viewDocument: "查看",
      empty: "没有等待您确权的发票。",
      disputed: "您提出争议的发票",
    },
    confirm: {
      button: "确权",
      title: "确认发票 {number}？",
      help: "您确认这笔债务：它将成为已确权的应收账款，供应商可以拆分、转让和融资，您在到期时付款。",
      done: "{number} 已确权。",
    },
    dispute: {
      button: "提出争议",
      title: "对发票 {number} 提出争议",
      help: "供应商将看到您的原因。有争议的发票不能融资。",
      reason: "争议原因",
      done: "已对 {number} 提出争议。",
    },
    payables: {
      title: "应付账款",
      subtitle: "按到期日排列的应付款项。每笔付款按份额分配给所有持有人。",
      scope: "范围",
      open: "未结清",
      settled: "已结清",
      totalOutstanding: "未付合计",
      dueSoon: "30 天内到期",
      late: "逾期或违约",
      count_one: "{count} 笔",
      count_other: "{count} 笔",
      days: "距到期天数",
      empty: "没有待付款项。",
    },
    pay: {
      button: "付款",
      title: "支付 {number}",
      help: "未付 {outstanding}，付给 {seller} 及其各份额持有人，链上按份额分配。",
      mode: "付款方式",
      full: "全额",
      part: "部分",
      tooMuch: "不能超过未付金额 {max}",
      confirm: "付款",
      done: "已就 {number} 支付 {amount}。",
    },
  },
};
