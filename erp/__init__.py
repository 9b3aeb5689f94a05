"""ERP adapters: read master data (vendors, POs, receipts), write approved vouchers back."""
