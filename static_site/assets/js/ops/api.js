// The Operations page's reads, also the jobs page's 24-hour trend and worker line: on api.js's fetch wrapper.

import { read } from "../api.js";

export const getMetrics = ({ range, bucket }) => read("metrics", { range, bucket });
export const getUsage = ({ range }) => read("usage", { range });
export const getHealth = () => read("health");
export const getModelComparison = (days) => read("models", { days });
