"""Renderers: records → terminal tables, JSON, JSONL, TSV. stdout carries data only."""
