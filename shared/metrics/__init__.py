"""Operations metrics: job throughput and timing series, LLM usage and cost per model."""
