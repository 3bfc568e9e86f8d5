import { removeScratchDirs } from '../../sim/scratch.js'

// Every test file's scratch folders go when the file is done (jest's setupFilesAfterEnv runs this in each).
afterAll(() => removeScratchDirs())
