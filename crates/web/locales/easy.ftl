## Easy read English: short sentences, everyday words, one idea at a time.
## Messages not written in easy read yet are shown in standard English.
