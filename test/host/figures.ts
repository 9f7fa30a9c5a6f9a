// Figures the host suites measure (activation time, …), printed with the host report.
export const figures: string[] = [];
